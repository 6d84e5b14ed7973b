namespace CallImport.ImportRunner.Limits;

/// <summary>
/// When a request may go (<see cref="At"/>) and the latest it may still leave (<see cref="Deadline"/>): the
/// window's slack, or a cold start's hold. A request that misses its deadline (a timer or a thread that woke
/// late, a token fetched meanwhile) takes a new slot instead: sent late, it would land in a window planned for others.
/// </summary>
public readonly record struct RequestSlot(DateTimeOffset At, DateTimeOffset Deadline)
{
    public bool IsOnTime(DateTimeOffset now) => now <= Deadline;
}
