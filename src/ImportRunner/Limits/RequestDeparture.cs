namespace CallImport.ImportRunner.Limits;

/// <summary>
/// The last look at a request's slot, taken where the request really leaves: as its first byte is written to the
/// connection (<see cref="DepartureCheckedStream"/>), not when the limiter granted it. Between the two lie the
/// timeout pipeline, the connection pool (waiting for a connection, opening one) and the scheduler: on a loaded
/// machine 18 ms, more than the slack, and a request that leaves after its slot's deadline lands in the vendor's
/// window after its slot's, on top of the requests planned there, by this process or by another sharing the
/// credential. Such a request is not written (<see cref="SlotMissedException"/>): it takes a new slot instead.
/// Held for one send in the request's async flow, where HTTP/1.1 writes the request.
/// </summary>
internal sealed class RequestDeparture
{
    private static readonly AsyncLocal<RequestDeparture?> Current = new();
    private readonly RequestSlot _slot;
    private readonly TimeProvider _time;

    private RequestDeparture(RequestSlot slot, TimeProvider time) => (_slot, _time) = (slot, time);

    /// <summary>When the request's first byte was written; null while nothing was (or it was refused).</summary>
    public DateTimeOffset? DepartedAt { get; private set; }

    /// <summary>Watches the writes of the send that follows, in this async flow, until <see cref="End"/>.</summary>
    public static RequestDeparture Begin(RequestSlot slot, TimeProvider time)
    {
        var departure = new RequestDeparture(slot, time);
        Current.Value = departure;
        return departure;
    }

    public void End()
    {
        if (Current.Value == this) Current.Value = null;
    }

    /// <summary>Called before every write to a connection: the request's first write must be on time.</summary>
    internal static void BeforeWrite()
    {
        if (Current.Value is not { DepartedAt: null } departure) return;
        var now = departure._time.GetUtcNow();
        if (!departure._slot.IsOnTime(now)) throw new SlotMissedException(now - departure._slot.Deadline);
        departure.DepartedAt = now;
    }
}
