namespace CallImport.Operator;

public sealed partial record OperatorSettings
{
    /// <summary>How often the leader raises its counters to the store's totals (calls, requests, 429s, processing time).</summary>
    public TimeSpan MetricsRefreshInterval { get; init; } = TimeSpan.FromSeconds(15);
}
