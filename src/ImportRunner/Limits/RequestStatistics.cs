namespace CallImport.ImportRunner.Limits;

/// <summary>What the HTTP pipeline did, for progress and the summary.</summary>
public sealed class RequestStatistics
{
    private long _requests;
    private long _throttled;
    private long _retries;
    private long _waitTicks;
    private long _notSent;

    public long Requests => Interlocked.Read(ref _requests);
    public long Throttled => Interlocked.Read(ref _throttled);
    public long Retries => Interlocked.Read(ref _retries);
    /// <summary>Requests that reached their connection after their slot's deadline and took a new slot instead.</summary>
    public long NotSentLate => Interlocked.Read(ref _notSent);
    public TimeSpan RateLimitWait => TimeSpan.FromTicks(Interlocked.Read(ref _waitTicks));

    public void Request() => Interlocked.Increment(ref _requests);
    public void Throttle() => Interlocked.Increment(ref _throttled);
    public void Retry() => Interlocked.Increment(ref _retries);
    public void Waited(TimeSpan wait) => Interlocked.Add(ref _waitTicks, wait.Ticks);

    /// <summary>A request counted as it set out was not written after all (late for its slot): it will be counted again when it goes.</summary>
    public void NotSent(TimeSpan waited)
    {
        Interlocked.Decrement(ref _requests);
        Interlocked.Add(ref _waitTicks, -waited.Ticks);
        Interlocked.Increment(ref _notSent);
    }
}
