using CallImport.ImportJobs;
using CallImport.Operator.Reconciliation;
using CallImport.Operator.Runs;
using k8s.Models;

namespace CallImport.Operator.Controller;

/// <summary>What the informers' caches say about runner Jobs: one ImportJob's, and the runs going in all (for the caps).</summary>
internal sealed class ClusterView(Informer<ImportJob> importJobs, Informer<V1Job> jobs, TimeProvider time, TimeSpan appearTimeout)
{
    private readonly Lock _lock = new();

    // Runner Jobs created but not yet in the cache (customer, platform, owner UID, when): they hold a slot meanwhile.
    private readonly Dictionary<string, (string Customer, string Platform, string OwnerUid, DateTimeOffset At)> _created = [];

    /// <summary>
    /// Held while a run is decided and created, so that two ImportJobs reconciled at once cannot both take the
    /// last free slot.
    /// </summary>
    public SemaphoreSlim StartingRun { get; } = new(1, 1);

    /// <summary>A runner Job was created: it counts against the caps until the cache shows it.</summary>
    public void RunnerJobCreated(ImportJob owner, string jobName)
    {
        lock (_lock)
            _created[$"{owner.Metadata.Namespace}/{jobName}"] = (owner.Spec.CustomerId, owner.Spec.Platform, owner.Metadata.Uid ?? "", time.GetUtcNow());
    }

    /// <summary>The ImportJob's runner Jobs: its label, and an owner reference to this very ImportJob (not an earlier one of the same name).</summary>
    public IReadOnlyList<V1Job> JobsOf(ImportJob importJob) =>
        jobs.Items.Where(j => j.Metadata.NamespaceProperty == importJob.Metadata.Namespace
                              && RunnerJobLabels.ImportJobOf(j.Metadata) == importJob.Metadata.Name
                              && j.Metadata.OwnerReferences?.Any(o => o.Uid == importJob.Metadata.Uid) == true).ToList();

    /// <summary>Runs now going for other ImportJobs: in all, for this one's customer, against its platform.</summary>
    public RunCapacity CapacityFor(ImportJob importJob)
    {
        int all = 0, customer = 0, platform = 0;
        lock (_lock)
        {
            foreach (var (key, created) in _created.ToList())
            {
                if (jobs.TryGet(key, out _) || time.GetUtcNow() - created.At > appearTimeout)
                {
                    _created.Remove(key);
                    continue;
                }
                if (created.OwnerUid == importJob.Metadata.Uid)
                    continue;
                all++;
                customer += created.Customer == importJob.Spec.CustomerId ? 1 : 0;
                platform += created.Platform == importJob.Spec.Platform ? 1 : 0;
            }
        }
        foreach (var job in jobs.Items.Where(j => !RunnerJobObservation.HasEnded(j)))
        {
            if (job.Metadata.OwnerReferences?.Any(o => o.Uid == importJob.Metadata.Uid) == true)
                continue;
            all++;
            var owner = RunnerJobLabels.ImportJobOf(job.Metadata);
            if (owner is null || !importJobs.TryGet($"{job.Metadata.NamespaceProperty}/{owner}", out var other) || other is null)
                continue;
            if (other.Spec.CustomerId == importJob.Spec.CustomerId)
                customer++;
            if (other.Spec.Platform == importJob.Spec.Platform)
                platform++;
        }
        return new RunCapacity(all, customer, platform);
    }

    /// <summary>ImportJobs waiting for a free run slot (to look again when a run ends).</summary>
    public IEnumerable<string> QueuedImportJobs() =>
        importJobs.Items.Where(i => i.Status?.Phase == ImportJobPhase.Queued).Select(i => $"{i.Metadata.Namespace}/{i.Metadata.Name}");
}
