using CallImport.ImportJobs;
using CallImport.Operator.Controller;
using static CallImport.Operator.Tests.Reconciliation.Scenario;

namespace CallImport.Operator.Tests.Controller;

/// <summary>Which queued ImportJobs a freed run slot wakes: as many as slots free, oldest first, customers taking turns.</summary>
public sealed class WakeOrderTests
{
    private static ImportJob Queued(string name, string customer, int minutesAgo, string platform = ImportPlatforms.Grain) => NewJob() with
    {
        Metadata = NewJob().Metadata with { Name = name, CreationTimestamp = InWindow.AddMinutes(-minutesAgo) },
        Spec = NewJob().Spec with { CustomerId = customer, Platform = platform },
        Status = new ImportJobStatus { Phase = ImportJobPhase.Queued },
    };

    private static RunningRuns Running(int all, params (string Customer, int Count)[] byCustomer) =>
        new(all, byCustomer.ToDictionary(c => c.Customer, c => c.Count), new Dictionary<string, int>());

    private static readonly ImportJob[] Backlog =
    [
        Queued("a1", "acme", 60), Queued("a2", "acme", 50), Queued("a3", "acme", 40),
        Queued("b1", "bolt", 45), Queued("b2", "bolt", 30),
        Queued("c1", "cord", 10),
    ];

    [Fact]
    public void Fair_OldestFirst_CustomersTakeTurns()
    {
        Assert.Equal(["a1", "b1", "c1", "a2", "b2", "a3"], WakeOrder.Fair(Backlog.Reverse()).Select(i => i.Metadata.Name));
    }

    [Fact]
    public void Choose_OneSlotFree_WakesOnlyTheOldest()
    {
        var settings = Settings with { MaxConcurrentRuns = 10, MaxConcurrentRunsPerCustomer = 5, MaxConcurrentRunsPerPlatform = 10 };

        var chosen = WakeOrder.Choose(Backlog, Running(9), settings);

        Assert.Equal(["a1"], chosen.Select(i => i.Metadata.Name));
    }

    [Fact]
    public void Choose_NoSlotFree_WakesNone()
    {
        Assert.Empty(WakeOrder.Choose(Backlog, Running(10), Settings with { MaxConcurrentRuns = 10 }));
    }

    [Fact]
    public void Choose_CustomerAtItsCap_SkippedForTheNext()
    {
        var settings = Settings with { MaxConcurrentRuns = 10, MaxConcurrentRunsPerCustomer = 2, MaxConcurrentRunsPerPlatform = 10 };

        var chosen = WakeOrder.Choose(Backlog, Running(7, ("acme", 2), ("bolt", 1)), settings);

        // 3 free: acme is full; bolt has room for one more; then cord.
        Assert.Equal(["b1", "c1"], chosen.Select(i => i.Metadata.Name));
    }

    [Fact]
    public void Choose_ThousandQueued_WakesNoMoreThanTheFreeSlots()
    {
        var many = Enumerable.Range(0, 1000).Select(i => Queued($"ij-{i}", $"customer-{i % 37}", 1000 - i)).ToList();
        var settings = Settings with { MaxConcurrentRuns = 50, MaxConcurrentRunsPerCustomer = 5, MaxConcurrentRunsPerPlatform = 50 };

        var chosen = WakeOrder.Choose(many, Running(47), settings);

        Assert.Equal(["ij-0", "ij-1", "ij-2"], chosen.Select(i => i.Metadata.Name));
    }
}
