using CallImport.ImportJobs;
using k8s.Models;

namespace CallImport.Operator.Controller;

/// <summary>What /readyz and /healthz look at: whether the caches synced, and when the watches last heard from the API server.</summary>
public sealed class ControllerState
{
    private Informer<ImportJob>? _importJobs;
    private Informer<V1Job>? _jobs;

    public bool CachesSynced { get; private set; }

    /// <summary>The older of the two watches' last contact; null before the controller started.</summary>
    public DateTimeOffset? LastWatchContact =>
        _importJobs is null || _jobs is null ? null
        : _importJobs.LastContact < _jobs.LastContact ? _importJobs.LastContact : _jobs.LastContact;

    internal void Attach(Informer<ImportJob> importJobs, Informer<V1Job> jobs) => (_importJobs, _jobs) = (importJobs, jobs);

    internal void MarkSynced() => CachesSynced = true;
}
