using CallImport.ImportJobs;
using CallImport.Operator.Reconciliation;
using static CallImport.Operator.Tests.Reconciliation.Scenario;

namespace CallImport.Operator.Tests.Reconciliation;

public sealed class CapacityDecisionTests
{
    public static TheoryData<int, int, int, string, string> Caps => new()
    {
        { 10, 0, 0, ImportJobConditions.Reasons.ConcurrencyLimit, "MaxConcurrentRuns 10" },
        { 3, 2, 0, ImportJobConditions.Reasons.CustomerLimit, "customer 'acme'" },
        { 5, 1, 4, ImportJobConditions.Reasons.PlatformLimit, "platform 'grain'" },
    };

    [Theory]
    [MemberData(nameof(Caps))]
    public void Decide_CapReached_QueuedWithConditionNamingTheCap(int all, int customer, int platform, string reason, string named)
    {
        var plan = ImportJobDecision.Decide(Observe(NewJob(), InWindow, capacity: new RunCapacity(all, customer, platform)));

        Assert.Equal(ImportJobPhase.Queued, plan.NewStatus.Phase);
        Assert.Empty(plan.Actions.OfType<ReconcileAction.CreateRunnerJob>());
        var scheduled = Condition(plan, ImportJobConditions.Scheduled);
        Assert.Equal(ConditionStatus.False, scheduled?.Status);
        Assert.Equal(reason, scheduled?.Reason);
        Assert.Contains(named, scheduled?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_OneBelowEveryCap_StartsRun()
    {
        var settings = Settings;
        var capacity = new RunCapacity(settings.MaxConcurrentRuns - 1, settings.MaxConcurrentRunsPerCustomer - 1, settings.MaxConcurrentRunsPerPlatform - 1);

        var plan = ImportJobDecision.Decide(Observe(NewJob(), InWindow, capacity: capacity));

        Assert.Equal(["CreateRunnerJob acme-grain-r1"], Steps(plan));
        Assert.Equal(ImportJobConditions.Reasons.RunStarted, Condition(plan, ImportJobConditions.Scheduled)?.Reason);
    }
}
