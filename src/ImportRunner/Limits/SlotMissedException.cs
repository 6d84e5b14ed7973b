namespace CallImport.ImportRunner.Limits;

/// <summary>
/// A request reached its connection after its slot's deadline and was not written (<see cref="RequestDeparture"/>).
/// An <see cref="IOException"/>, as the HTTP stack expects of a stream: it ends that connection, not the run;
/// <see cref="PlatformRequestHandler"/> takes a new slot for the request.
/// </summary>
public sealed class SlotMissedException(TimeSpan late)
    : IOException($"The request reached its connection {late.TotalMilliseconds:0.#} ms after its rate-limit slot's deadline; it was not sent and waits for a new slot.")
{
    public TimeSpan Late { get; } = late;

    /// <summary>Whether <paramref name="exception"/> is, or was caused by, a missed slot.</summary>
    public static bool IsCause(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
            if (e is SlotMissedException) return true;
        return false;
    }
}
