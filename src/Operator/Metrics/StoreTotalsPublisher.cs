using CallImport.Operator.Hosting;
using CallImport.Store;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Prometheus;

namespace CallImport.Operator.Metrics;

/// <summary>
/// While this replica leads: every <see cref="OperatorSettings.MetricsRefreshInterval"/>, the store's totals become
/// counters. Runner pods live too briefly to be scraped and write what they measured to the store; the counters are
/// raised to the store's sums (never lowered), so a new leader publishes the same values the old one reached and
/// rate() sees no reset. Call processing time becomes a histogram: per import, the attempts finished since the last
/// look are observed at their mean time (the store keeps sums, not each call).
/// </summary>
internal sealed class StoreTotalsPublisher(ImportStore store, Leadership leadership, OperatorSettings settings, TimeProvider time,
    ILogger<StoreTotalsPublisher> logger) : BackgroundService
{
    private static readonly Counter CallsProcessed = Prometheus.Metrics.CreateCounter(
        "callimport_calls_processed_total", "Calls done (imported, or skipped as already imported), by platform.", "platform");
    private static readonly Counter CallsFailed = Prometheus.Metrics.CreateCounter(
        "callimport_calls_failed_total", "Calls that failed after their retries, by platform.", "platform");
    private static readonly Counter Requests = Prometheus.Metrics.CreateCounter(
        "callimport_platform_requests_total", "Requests runners sent to the platform, by platform.", "platform");
    private static readonly Counter Throttled = Prometheus.Metrics.CreateCounter(
        "callimport_platform_throttled_requests_total", "Requests the platform answered 429 (rate limit exceeded), by platform.", "platform");
    private static readonly Counter RateLimitWait = Prometheus.Metrics.CreateCounter(
        "callimport_rate_limit_wait_seconds_total", "Time runners waited for the platform's rate limit, by platform.", "platform");
    private static readonly Histogram Processing = Prometheus.Metrics.CreateHistogram(
        "callimport_call_processing_duration_seconds", "Time to process one call attempt (fetch, media, engagement), by platform.",
        new HistogramConfiguration { LabelNames = ["platform"], Buckets = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300] });

    private readonly Dictionary<string, RunStatistics> _seen = new(StringComparer.Ordinal);
    private bool _baselined;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await leadership.WhenLeading.WaitAsync(stoppingToken);
            while (!stoppingToken.IsCancellationRequested && !leadership.HasLost)
            {
                await PublishAsync(stoppingToken);
                await Task.Delay(settings.MetricsRefreshInterval, time, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Reads the totals once and raises the counters; a store that does not answer only delays the metrics.</summary>
    public async Task PublishAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<ImportTotals> totals;
        try
        {
            totals = await store.ImportTotalsAsync(cancellationToken);
        }
        catch (Exception e) when (e is Npgsql.NpgsqlException or TimeoutException)
        {
            logger.LogWarning("Could not read the store's totals for /metrics: {Error}", e.Message);
            return;
        }
        foreach (var platform in totals.GroupBy(t => t.Platform))
        {
            CallsProcessed.WithLabels(platform.Key).IncTo(platform.Sum(t => t.DoneCalls));
            CallsFailed.WithLabels(platform.Key).IncTo(platform.Sum(t => t.FailedCalls));
            Requests.WithLabels(platform.Key).IncTo(platform.Sum(t => t.Statistics.Requests));
            Throttled.WithLabels(platform.Key).IncTo(platform.Sum(t => t.Statistics.ThrottledRequests));
            RateLimitWait.WithLabels(platform.Key).IncTo(platform.Sum(t => t.Statistics.RateLimitWait.TotalSeconds));
        }
        ObserveProcessing(totals);
    }

    private void ObserveProcessing(IReadOnlyList<ImportTotals> totals)
    {
        foreach (var import in totals)
        {
            // The first look only sets where each import stands: what it did before this replica led was observed by another.
            var before = _seen.GetValueOrDefault(import.ImportId) ?? (_baselined ? RunStatistics.Zero : import.Statistics);
            _seen[import.ImportId] = import.Statistics;
            var delta = import.Statistics.Minus(before);
            if (delta.ProcessedAttempts > 0 && delta.ProcessingTime > TimeSpan.Zero)
                Processing.WithLabels(import.Platform).Observe(delta.ProcessingTime.TotalSeconds / delta.ProcessedAttempts, delta.ProcessedAttempts);
        }
        _baselined = true;
    }
}
