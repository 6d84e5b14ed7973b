using CallImport.ImportJobs;
using CallImport.Operator.Reconciliation;
using CallImport.Operator.Runs;
using k8s.Models;

namespace CallImport.Operator.Controller;

/// <summary>What the informers' caches say about runner Jobs: one ImportJob's, and the runs going in all (for the caps).</summary>
internal sealed class ClusterView(Informer<ImportJob> importJobs, Informer<V1Job> jobs)
{
    /// <summary>The ImportJob's runner Jobs: its label, and an owner reference to this very ImportJob (not an earlier one of the same name).</summary>
    public IReadOnlyList<V1Job> JobsOf(ImportJob importJob) =>
        jobs.Items.Where(j => j.Metadata.NamespaceProperty == importJob.Metadata.Namespace
                              && RunnerJobLabels.ImportJobOf(j.Metadata) == importJob.Metadata.Name
                              && j.Metadata.OwnerReferences?.Any(o => o.Uid == importJob.Metadata.Uid) == true).ToList();

    /// <summary>Runs now going for other ImportJobs: in all, for this one's customer, against its platform.</summary>
    public RunCapacity CapacityFor(ImportJob importJob)
    {
        int all = 0, customer = 0, platform = 0;
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
