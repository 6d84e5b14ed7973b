using System.Collections.Concurrent;
using CallImport.ImportJobs;
using CallImport.Operator.Reconciliation;
using CallImport.Operator.Runs;
using k8s.Models;

namespace CallImport.Operator.Controller;

/// <summary>
/// What the informers' caches say: an ImportJob as last seen (or as we last wrote it), its runner Jobs, its
/// credentials Secret (key names only) and who else uses it, and the runs going in all (for the caps). Reading
/// here instead of a GET per reconcile keeps the API requests per ImportJob flat however many there are.
/// </summary>
internal sealed class ClusterView(Informer<ImportJob> importJobs, Informer<V1Job> jobs, Informer<V1Secret> secrets, TimeProvider time, TimeSpan appearTimeout)
{
    private readonly Lock _lock = new();

    // Runner Jobs created but not yet in the cache (customer, platform, owner UID, when): they hold a slot meanwhile.
    private readonly Dictionary<string, (string Customer, string Platform, string OwnerUid, DateTimeOffset At)> _created = [];

    // Our own latest write of an ImportJob, by key, with the resourceVersion it replaced: while the cache still
    // shows that version, the write is newer than the cache.
    private readonly ConcurrentDictionary<string, (string? Replaced, ImportJob Written)> _written = new(StringComparer.Ordinal);

    // The index of referenced Secrets: "ns/secret" → the ImportJob keys that use it, and back.
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, byte>> _secretUsers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _secretOf = new(StringComparer.Ordinal);

    /// <summary>
    /// Held while a run is decided and created, so that two ImportJobs reconciled at once cannot both take the
    /// last free slot.
    /// </summary>
    public SemaphoreSlim StartingRun { get; } = new(1, 1);

    /// <summary>The ImportJob as known now: the cache, or our own write when the cache has not caught up; null when gone.</summary>
    public ImportJob? ImportJob(string ns, string name)
    {
        var key = $"{ns}/{name}";
        if (!importJobs.TryGet(key, out var cached) || cached is null)
        {
            _written.TryRemove(key, out _);
            return null;
        }
        if (_written.TryGetValue(key, out var mine))
        {
            if (cached.Metadata.ResourceVersion == mine.Replaced)
                return mine.Written;
            _written.TryRemove(key, out _);
        }
        return cached;
    }

    /// <summary>We wrote <paramref name="after"/> over <paramref name="before"/>: read it until the cache shows a newer version.</summary>
    public void Wrote(ImportJob before, ImportJob after) =>
        _written[$"{after.Metadata.Namespace}/{after.Metadata.Name}"] = (before.Metadata.ResourceVersion, after);

    /// <summary>Keeps the Secret index current; called for every ImportJob the informer hands over (present or gone).</summary>
    public void IndexSecretReference(ImportJob importJob)
    {
        var key = $"{importJob.Metadata.Namespace}/{importJob.Metadata.Name}";
        var present = importJobs.TryGet(key, out var current) && current is not null;
        if (_secretOf.TryRemove(key, out var previous) && _secretUsers.TryGetValue(previous, out var users))
            users.TryRemove(key, out _);
        if (!present)
            return;
        var secret = $"{current!.Metadata.Namespace}/{current.Spec.CredentialsSecretRef.Name}";
        _secretOf[key] = secret;
        _secretUsers.GetOrAdd(secret, _ => new ConcurrentDictionary<string, byte>(StringComparer.Ordinal))[key] = 0;
    }

    /// <summary>The ImportJobs (keys) whose spec.credentialsSecretRef names this Secret.</summary>
    public IReadOnlyCollection<string> ImportJobsUsing(string ns, string secretName) =>
        _secretUsers.TryGetValue($"{ns}/{secretName}", out var users) ? [.. users.Keys] : [];

    /// <summary>The ImportJob's credentials Secret: its key names and version, and the other unfinished ImportJobs that use it.</summary>
    public CredentialsSecretState SecretFor(ImportJob importJob)
    {
        var (ns, name) = (importJob.Metadata.Namespace!, importJob.Spec.CredentialsSecretRef.Name);
        if (!secrets.TryGet($"{ns}/{name}", out var secret) || secret is null)
            return CredentialsSecretState.Missing;
        var self = $"{ns}/{importJob.Metadata.Name}";
        var others = ImportJobsUsing(ns, name)
            .Where(k => k != self && importJobs.TryGet(k, out var other) && other is not null
                        && other.Metadata.DeletionTimestamp is null && !ImportJobPhase.IsEnded(other.Status?.Phase))
            .Select(k => k[(ns.Length + 1)..]).Order(StringComparer.Ordinal).ToList();
        return new CredentialsSecretState(true, [.. secret.Data?.Keys ?? []]) { Version = secret.Metadata.ResourceVersion, AlsoUsedBy = others };
    }

    /// <summary>A runner Job was created: it counts against the caps until the cache shows it.</summary>
    public void RunnerJobCreated(ImportJob owner, string jobName)
    {
        lock (_lock)
            _created[$"{owner.Metadata.Namespace}/{jobName}"] = (owner.Spec.CustomerId, owner.Spec.Platform, owner.Metadata.Uid ?? "", time.GetUtcNow());
    }

    /// <summary>The ImportJob's runner Jobs: those with an owner reference to this very ImportJob (not an earlier one of the same name).</summary>
    public IReadOnlyList<V1Job> JobsOf(ImportJob importJob) =>
        jobs.Items.Where(j => j.Metadata.NamespaceProperty == importJob.Metadata.Namespace
                              && j.Metadata.OwnerReferences?.Any(o => o.Uid == importJob.Metadata.Uid) == true).ToList();

    /// <summary>Runs now going for other ImportJobs: in all, for this one's customer, against its platform.</summary>
    public RunCapacity CapacityFor(ImportJob importJob)
    {
        var running = Running(importJob.Metadata.Uid);
        return new RunCapacity(running.All, running.ByCustomer.GetValueOrDefault(importJob.Spec.CustomerId),
            running.ByPlatform.GetValueOrDefault(importJob.Spec.Platform));
    }

    /// <summary>
    /// Queued ImportJobs to look at again now, because run slots are free: only as many as there are free slots,
    /// oldest first, taking turns between customers (see <see cref="WakeOrder"/>).
    /// </summary>
    public IEnumerable<string> QueuedImportJobsToWake(OperatorSettings settings)
    {
        var queued = importJobs.Items.Where(i => i.Status?.Phase == ImportJobPhase.Queued && i.Metadata.DeletionTimestamp is null
                                                 && i.Status.Conditions?.Any(c => c.Type == ImportJobConditions.Stalled && c.Status == ConditionStatus.True) != true);
        return WakeOrder.Choose(queued, Running(null), settings).Select(i => $"{i.Metadata.Namespace}/{i.Metadata.Name}");
    }

    /// <summary>Runs going now (not counting those of <paramref name="exceptOwnerUid"/>), from the cache and the Jobs just created.</summary>
    private RunningRuns Running(string? exceptOwnerUid)
    {
        var all = 0;
        var byCustomer = new Dictionary<string, int>(StringComparer.Ordinal);
        var byPlatform = new Dictionary<string, int>(StringComparer.Ordinal);
        void Count(string? customer, string? platform)
        {
            all++;
            if (customer is not null)
                byCustomer[customer] = byCustomer.GetValueOrDefault(customer) + 1;
            if (platform is not null)
                byPlatform[platform] = byPlatform.GetValueOrDefault(platform) + 1;
        }

        lock (_lock)
        {
            foreach (var (key, created) in _created.ToList())
            {
                if (jobs.TryGet(key, out _) || time.GetUtcNow() - created.At > appearTimeout)
                {
                    _created.Remove(key);
                    continue;
                }
                if (created.OwnerUid != exceptOwnerUid)
                    Count(created.Customer, created.Platform);
            }
        }
        foreach (var job in jobs.Items.Where(j => !RunnerJobObservation.HasEnded(j)))
        {
            if (exceptOwnerUid is not null && job.Metadata.OwnerReferences?.Any(o => o.Uid == exceptOwnerUid) == true)
                continue;
            var owner = RunnerJobLabels.ImportJobOf(job.Metadata);
            var other = owner is not null && importJobs.TryGet($"{job.Metadata.NamespaceProperty}/{owner}", out var found) ? found : null;
            Count(other?.Spec.CustomerId, other?.Spec.Platform);
        }
        return new RunningRuns(all, byCustomer, byPlatform);
    }
}
