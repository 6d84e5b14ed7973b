namespace CallImport.ImportRunner.Limits;

/// <summary>
/// Maps the shared budget's clock (the database's) onto this process's <see cref="TimeProvider"/> without
/// trusting either clock to agree with the other. Each answer bounds the difference: the database read its
/// clock after we asked and before we received, so local − database ≤ received − databaseNow. The tightest
/// such bound of the recent answers is used: one answer that arrived late (a stalled process, a slow
/// connection) does not shift every slot it carries by its own delay, which let a stalled process send a whole
/// batch late, on top of the next window's requests. The mapping is never early (it is an upper bound);
/// its error is the fastest recent round trip. Only the last <see cref="Answers"/> answers of the last
/// <see cref="Memory"/> count, so the mapping follows clocks that drift (both clocks keep to NTP: far under a
/// millisecond in that time), and it starts again when a clock jumps (an answer contradicts it).
/// Not thread-safe: the batcher asks one query at a time.
/// </summary>
internal sealed class DatabaseClockMapping
{
    /// <summary>How long an answer's bound is trusted (long enough for groups that ask once a minute).</summary>
    public static readonly TimeSpan Memory = TimeSpan.FromMinutes(5);

    /// <summary>How many recent answers' bounds are kept.</summary>
    public const int Answers = 32;

    private readonly Queue<(long ReceivedTicks, long UpperTicks, long LowerTicks)> _bounds = new();
    private long _offsetTicks;
    private long _lowerTicks;

    /// <summary>local − database, as an upper bound; valid after the first <see cref="Observe"/>.</summary>
    public TimeSpan Offset => TimeSpan.FromTicks(_offsetTicks);

    /// <summary>
    /// How much earlier than <see cref="Offset"/> the true difference may be: the same answers also bound it from
    /// below (the database read its clock after we asked). A slot mapped with <see cref="Offset"/> may already have
    /// begun this much earlier on the database's clock, so a request is that much later for it than it looks here.
    /// </summary>
    public TimeSpan Uncertainty => TimeSpan.FromTicks(Math.Max(0, _offsetTicks - _lowerTicks));

    /// <summary>Takes in one answer: asked and received on the local clock, <paramref name="databaseNow"/> on the database's.</summary>
    public void Observe(DateTimeOffset asked, DateTimeOffset received, DateTimeOffset databaseNow)
    {
        var upper = (received - databaseNow).Ticks;
        var lower = (asked - databaseNow).Ticks;
        // Bounds this answer contradicts: a clock jumped (or the bounds are stale): start again.
        if (_bounds.Count > 0 && (_offsetTicks < lower || upper < _lowerTicks)) _bounds.Clear();
        while (_bounds.TryPeek(out var oldest) && (_bounds.Count >= Answers || received.UtcTicks - oldest.ReceivedTicks > Memory.Ticks)) _bounds.Dequeue();
        _bounds.Enqueue((received.UtcTicks, upper, lower));
        var best = long.MaxValue;
        var highestLower = long.MinValue;
        foreach (var (_, bound, below) in _bounds) (best, highestLower) = (Math.Min(best, bound), Math.Max(highestLower, below));
        _offsetTicks = best;
        _lowerTicks = highestLower;
    }

    public DateTimeOffset ToLocal(DateTimeOffset databaseTime) => databaseTime + Offset;
}
