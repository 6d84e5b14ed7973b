using System.Collections.Concurrent;
using CallImport.ImportJobs;
using Prometheus;

namespace CallImport.Operator.Metrics;

/// <summary>
/// The operator's Prometheus metrics (served at /metrics). Totals are counters, durations histograms; what the
/// runners measured comes from the store (<see cref="StoreTotalsPublisher"/>), so a new leader carries on from the
/// values the old one published instead of starting again from zero.
/// </summary>
internal sealed class OperatorMetrics
{
    private static readonly Gauge ByPhase = Prometheus.Metrics.CreateGauge(
        "callimport_importjobs", "ImportJobs by phase (phase=\"Waiting\": waiting for a window or the daily quota).", "phase");
    private static readonly Gauge PhaseOfImportJob = Prometheus.Metrics.CreateGauge(
        "callimport_importjob_status_phase", "1 for the phase each ImportJob is in, 0 for the others.", "namespace", "importjob", "platform", "phase");
    private static readonly Counter Transitions = Prometheus.Metrics.CreateCounter(
        "callimport_importjob_phase_transitions_total", "ImportJob phase changes.", "from", "to");
    private static readonly Counter Created = Prometheus.Metrics.CreateCounter(
        "callimport_importjobs_created_total", "ImportJobs seen for the first time (their first status), by platform.", "platform");
    private static readonly Counter Finished = Prometheus.Metrics.CreateCounter(
        "callimport_importjobs_finished_total", "ImportJobs that ended, by platform and phase (Completed, Partial, Failed, Cancelled).", "platform", "phase");
    private static readonly Histogram ImportDuration = Prometheus.Metrics.CreateHistogram(
        "callimport_importjob_duration_seconds", "From an ImportJob's start to its end, by platform.",
        new HistogramConfiguration { LabelNames = ["platform"], Buckets = Histogram.ExponentialBuckets(60, 2, 12) });
    private static readonly Histogram ReconcileDuration = Prometheus.Metrics.CreateHistogram(
        "callimport_reconcile_duration_seconds", "Time to reconcile one ImportJob.",
        new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.005, 2, 14) });
    private static readonly Counter ReconcileErrors = Prometheus.Metrics.CreateCounter(
        "callimport_reconcile_errors_total", "Reconciles that failed and were retried with backoff.");
    private static readonly Counter RunsStarted = Prometheus.Metrics.CreateCounter(
        "callimport_runner_runs_started_total", "Runner Jobs created, by platform.", "platform");

    private readonly ConcurrentDictionary<string, (string Platform, string? Phase)> _known = new(StringComparer.Ordinal);

    public IDisposable TimeReconcile() => ReconcileDuration.NewTimer();

    public void ReconcileFailed() => ReconcileErrors.Inc();

    public void RunStarted(string platform) => RunsStarted.WithLabels(platform).Inc();

    /// <summary>A status write changed the phase: counts the transition, a new ImportJob, or an ended one and its duration.</summary>
    public void Transition(string platform, string? from, ImportJobStatus to)
    {
        if (from == to.Phase)
            return;
        Transitions.WithLabels(from ?? "", to.Phase ?? "").Inc();
        if (from is null)
            Created.WithLabels(platform).Inc();
        if (ImportJobPhase.IsEnded(to.Phase) && !ImportJobPhase.IsEnded(from))
        {
            Finished.WithLabels(platform, to.Phase!).Inc();
            if (to.StartedAt is { } started && to.CompletedAt is { } completed && completed >= started)
                ImportDuration.WithLabels(platform).Observe((completed - started).TotalSeconds);
        }
    }

    /// <summary>Remembers an ImportJob's phase and recomputes the phase gauges.</summary>
    public void Observe(string key, string platform, ImportJobStatus status)
    {
        _known[key] = (platform, status.Phase);
        var (ns, name) = Split(key);
        foreach (var phase in ImportJobPhase.All)
            PhaseOfImportJob.WithLabels(ns, name, platform, phase).Set(phase == status.Phase ? 1 : 0);
        Publish();
    }

    public void Forget(string key)
    {
        if (!_known.TryRemove(key, out var known))
            return;
        var (ns, name) = Split(key);
        foreach (var phase in ImportJobPhase.All)
            PhaseOfImportJob.RemoveLabelled(ns, name, known.Platform, phase);
        Publish();
    }

    private void Publish()
    {
        var snapshot = _known.Values.ToList();
        foreach (var phase in ImportJobPhase.All)
            ByPhase.WithLabels(phase).Set(snapshot.Count(s => s.Phase == phase));
    }

    private static (string Namespace, string Name) Split(string key)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? ("", key) : (key[..slash], key[(slash + 1)..]);
    }
}
