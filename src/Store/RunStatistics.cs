namespace CallImport.Store;

/// <summary>
/// What runs measured: requests sent, those answered 429, time spent waiting for the rate limit, and time
/// spent processing calls over how many call attempts. Summed over an import's runs.
/// </summary>
public sealed record RunStatistics(long Requests, long ThrottledRequests, TimeSpan RateLimitWait, TimeSpan ProcessingTime, long ProcessedAttempts)
{
    public static RunStatistics Zero { get; } = new(0, 0, TimeSpan.Zero, TimeSpan.Zero, 0);

    public RunStatistics Minus(RunStatistics earlier) => new(
        Requests - earlier.Requests, ThrottledRequests - earlier.ThrottledRequests, RateLimitWait - earlier.RateLimitWait,
        ProcessingTime - earlier.ProcessingTime, ProcessedAttempts - earlier.ProcessedAttempts);

    public RunStatistics Plus(RunStatistics other) => new(
        Requests + other.Requests, ThrottledRequests + other.ThrottledRequests, RateLimitWait + other.RateLimitWait,
        ProcessingTime + other.ProcessingTime, ProcessedAttempts + other.ProcessedAttempts);

    public bool IsZero => this == Zero;
}
