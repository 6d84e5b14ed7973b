using CallImport.ImportJobs;

namespace CallImport.Operator.Controller;

/// <summary>
/// Which Queued ImportJobs to wake when run slots free up: no more than the slots free, those whose customer and
/// platform caps leave room, in a fair order (oldest first, taking turns between customers).
/// </summary>
internal static class WakeOrder
{
    /// <param name="queued">ImportJobs held back by the caps.</param>
    /// <param name="running">Runs now going: in all, and by customer and by platform.</param>
    public static IReadOnlyList<ImportJob> Choose(IEnumerable<ImportJob> queued, RunningRuns running, OperatorSettings settings)
    {
        var free = settings.MaxConcurrentRuns - running.All;
        if (free <= 0)
            return [];
        var byCustomer = new Dictionary<string, int>(running.ByCustomer, StringComparer.Ordinal);
        var byPlatform = new Dictionary<string, int>(running.ByPlatform, StringComparer.Ordinal);
        var chosen = new List<ImportJob>();
        foreach (var importJob in Fair(queued))
        {
            var (customer, platform) = (importJob.Spec.CustomerId, importJob.Spec.Platform);
            if (byCustomer.GetValueOrDefault(customer) >= settings.MaxConcurrentRunsPerCustomer
                || byPlatform.GetValueOrDefault(platform) >= settings.MaxConcurrentRunsPerPlatform)
                continue;
            chosen.Add(importJob);
            byCustomer[customer] = byCustomer.GetValueOrDefault(customer) + 1;
            byPlatform[platform] = byPlatform.GetValueOrDefault(platform) + 1;
            if (chosen.Count == free)
                break;
        }
        return chosen;
    }

    /// <summary>Round-robin across customers, each customer's ImportJobs oldest first; a round starts with the customer waiting longest.</summary>
    public static IEnumerable<ImportJob> Fair(IEnumerable<ImportJob> queued)
    {
        var customers = queued
            .GroupBy(i => i.Spec.CustomerId, StringComparer.Ordinal)
            .Select(g => new Queue<ImportJob>(g.OrderBy(Created).ThenBy(i => i.Metadata.Name, StringComparer.Ordinal)))
            .OrderBy(q => Created(q.Peek())).ThenBy(q => q.Peek().Spec.CustomerId, StringComparer.Ordinal)
            .ToList();
        while (customers.Count > 0)
        {
            foreach (var turn in customers)
                yield return turn.Dequeue();
            customers.RemoveAll(q => q.Count == 0);
        }
    }

    private static DateTimeOffset Created(ImportJob i) => i.Metadata.CreationTimestamp ?? DateTimeOffset.MaxValue;
}

/// <summary>Runs going now, in all and by customer and platform.</summary>
internal sealed record RunningRuns(int All, IReadOnlyDictionary<string, int> ByCustomer, IReadOnlyDictionary<string, int> ByPlatform);
