namespace CallImport.ImportRunner.Limits;

/// <summary>What the HTTP pipeline did, for progress and the summary.</summary>
public sealed class RequestStatistics
{
    private long _requests;
    private long _throttled;
    private long _retries;
    private long _waitTicks;

    public long Requests => Interlocked.Read(ref _requests);
    public long Throttled => Interlocked.Read(ref _throttled);
    public long Retries => Interlocked.Read(ref _retries);
    public TimeSpan RateLimitWait => TimeSpan.FromTicks(Interlocked.Read(ref _waitTicks));

    public void Request() => Interlocked.Increment(ref _requests);
    public void Throttle() => Interlocked.Increment(ref _throttled);
    public void Retry() => Interlocked.Increment(ref _retries);
    public void Waited(TimeSpan wait) => Interlocked.Add(ref _waitTicks, wait.Ticks);
}
