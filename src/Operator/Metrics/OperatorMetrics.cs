using System.Collections.Concurrent;
using CallImport.ImportJobs;
using Prometheus;

namespace CallImport.Operator.Metrics;

/// <summary>The operator's Prometheus metrics (served at /metrics).</summary>
internal sealed class OperatorMetrics
{
    private static readonly Gauge ImportJobs = Prometheus.Metrics.CreateGauge(
        "callimport_importjobs", "ImportJobs by phase.", "phase");
    private static readonly Counter Transitions = Prometheus.Metrics.CreateCounter(
        "callimport_importjob_phase_transitions_total", "ImportJob phase changes.", "from", "to");
    private static readonly Histogram ReconcileDuration = Prometheus.Metrics.CreateHistogram(
        "callimport_reconcile_duration_seconds", "Time to reconcile one ImportJob.",
        new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.005, 2, 14) });
    private static readonly Counter ReconcileErrors = Prometheus.Metrics.CreateCounter(
        "callimport_reconcile_errors_total", "Reconciles that failed and were retried with backoff.");
    private static readonly Gauge CallsProcessed = Prometheus.Metrics.CreateGauge(
        "callimport_calls_processed", "Calls imported, over the ImportJobs this operator knows, by platform.", "platform");
    private static readonly Gauge CallsFailed = Prometheus.Metrics.CreateGauge(
        "callimport_calls_failed", "Calls failed, over the ImportJobs this operator knows, by platform.", "platform");
    private static readonly Counter RunsStarted = Prometheus.Metrics.CreateCounter(
        "callimport_runner_runs_started_total", "Runner Jobs created, by platform.", "platform");

    // Runners measure these and sum them in the store (their pods live too briefly to be scraped); the
    // operator publishes the sums over the ImportJobs it knows. Rates come from PromQL's rate().
    private static readonly Gauge RateLimitWait = Prometheus.Metrics.CreateGauge(
        "callimport_rate_limit_wait_seconds", "Time runners waited for the platform's rate limit, summed over the ImportJobs this operator knows, by platform.", "platform");
    private static readonly Gauge ThrottledRequests = Prometheus.Metrics.CreateGauge(
        "callimport_platform_throttled_requests", "Requests the platform answered 429, by platform.", "platform");
    private static readonly Gauge PlatformRequests = Prometheus.Metrics.CreateGauge(
        "callimport_platform_requests", "Requests runners sent to the platform, by platform.", "platform");
    private static readonly Gauge ProcessingSeconds = Prometheus.Metrics.CreateGauge(
        "callimport_call_processing_seconds_sum", "Time runners spent processing calls (all attempts), by platform.", "platform");
    private static readonly Gauge ProcessingCount = Prometheus.Metrics.CreateGauge(
        "callimport_call_processing_seconds_count", "Call attempts processed, by platform; sum / count is the mean time per call.", "platform");

    private readonly ConcurrentDictionary<string, (string Platform, string? Phase, int Processed, int Failed)> _known = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (string Platform, CallImport.Store.RunStatistics Statistics)> _statistics = new(StringComparer.Ordinal);

    public IDisposable TimeReconcile() => ReconcileDuration.NewTimer();

    public void ReconcileFailed() => ReconcileErrors.Inc();

    public void RunStarted(string platform) => RunsStarted.WithLabels(platform).Inc();

    public void Transition(string? from, string? to)
    {
        if (from != to)
            Transitions.WithLabels(from ?? "", to ?? "").Inc();
    }

    /// <summary>Remembers an ImportJob's phase and counts, and recomputes the gauges.</summary>
    public void Observe(string key, string platform, ImportJobStatus status)
    {
        _known[key] = (platform, status.Phase, status.ProcessedCalls ?? 0, status.FailedCalls ?? 0);
        Publish();
    }

    /// <summary>Remembers what an ImportJob's runs measured, and recomputes the runner gauges.</summary>
    public void ObserveRuns(string key, string platform, CallImport.Store.RunStatistics statistics)
    {
        _statistics[key] = (platform, statistics);
        PublishRuns();
    }

    public void Forget(string key)
    {
        if (_known.TryRemove(key, out _))
            Publish();
        if (_statistics.TryRemove(key, out _))
            PublishRuns();
    }

    private void PublishRuns()
    {
        foreach (var group in _statistics.Values.GroupBy(s => s.Platform))
        {
            RateLimitWait.WithLabels(group.Key).Set(group.Sum(s => s.Statistics.RateLimitWait.TotalSeconds));
            ThrottledRequests.WithLabels(group.Key).Set(group.Sum(s => s.Statistics.ThrottledRequests));
            PlatformRequests.WithLabels(group.Key).Set(group.Sum(s => s.Statistics.Requests));
            ProcessingSeconds.WithLabels(group.Key).Set(group.Sum(s => s.Statistics.ProcessingTime.TotalSeconds));
            ProcessingCount.WithLabels(group.Key).Set(group.Sum(s => s.Statistics.ProcessedAttempts));
        }
    }

    private void Publish()
    {
        var snapshot = _known.Values.ToList();
        foreach (var phase in ImportJobPhase.All)
            ImportJobs.WithLabels(phase).Set(snapshot.Count(s => s.Phase == phase));
        foreach (var group in snapshot.GroupBy(s => s.Platform))
        {
            CallsProcessed.WithLabels(group.Key).Set(group.Sum(s => s.Processed));
            CallsFailed.WithLabels(group.Key).Set(group.Sum(s => s.Failed));
        }
    }
}
