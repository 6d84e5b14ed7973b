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

    private readonly ConcurrentDictionary<string, (string Platform, string? Phase, int Processed, int Failed)> _known = new(StringComparer.Ordinal);

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

    public void Forget(string key)
    {
        if (_known.TryRemove(key, out _))
            Publish();
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
