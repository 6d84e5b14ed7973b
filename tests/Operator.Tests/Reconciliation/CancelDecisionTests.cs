using CallImport.ImportJobs;
using CallImport.Operator.Reconciliation;
using static CallImport.Operator.Tests.Reconciliation.Scenario;

namespace CallImport.Operator.Tests.Reconciliation;

public sealed class CancelDecisionTests
{
    private static readonly DateTimeOffset Started = InWindow.AddHours(-1);

    private static ImportJob Cancelling(ImportJob job) => job with { Spec = job.Spec with { Cancel = true } };

    [Fact]
    public void Decide_CancelWhileRunning_RunStoppedRecordKeptEventEmitted()
    {
        var plan = ImportJobDecision.Decide(Observe(Cancelling(WithRun(1, Started)), InWindow, [ActiveJob(1, Started)], Progress(100, 30)));

        var run = Assert.Single(plan.NewStatus.Runs!);
        Assert.Equal((RunOutcomes.Stopped, InWindow), (run.Outcome, run.FinishedAt));
        Assert.Null(plan.NewStatus.ActiveRun);
        Assert.Equal(InWindow, plan.NewStatus.CompletedAt);
        Assert.Equal(30, plan.NewStatus.ProcessedCalls);
        Assert.Contains("Normal Cancelled", EventReasons(plan));
        Assert.Equal((ConditionStatus.False, ImportJobPhase.Cancelled), (Condition(plan, ImportJobConditions.Ready)?.Status, Condition(plan, ImportJobConditions.Ready)?.Reason));
    }

    [Fact]
    public void Decide_CancelWhileWaiting_CancelledWithoutDeletes()
    {
        var waiting = ImportJobDecision.Decide(Observe(NewJob(), OutsideWindow)).NewStatus;

        var plan = ImportJobDecision.Decide(Observe(Cancelling(NewJob()) with { Status = waiting }, OutsideWindow));

        Assert.Equal(ImportJobPhase.Cancelled, plan.NewStatus.Phase);
        Assert.Empty(Steps(plan));
        Assert.Null(plan.NewStatus.NextWindowStart);
        Assert.Null(plan.RequeueAfter);
    }

    [Fact]
    public void Decide_CancelledThenCancelUnset_StaysCancelledForGood()
    {
        var cancelled = ImportJobDecision.Decide(Observe(Cancelling(WithRun(1, Started)), InWindow, [ActiveJob(1, Started)], Progress(100, 30))).NewStatus;
        var uncancelled = NewJob() with { Status = cancelled };

        var plan = ImportJobDecision.Decide(Observe(uncancelled, InWindow.AddMinutes(1), [], Progress(100, 30)));

        Assert.Equal(ImportJobPhase.Cancelled, plan.NewStatus.Phase);
        Assert.Empty(Steps(plan));
        Assert.Empty(plan.Events);
    }

    [Fact]
    public void Decide_CancelledAndJobStillTerminating_DeletesAgainWithoutNewEvents()
    {
        var first = ImportJobDecision.Decide(Observe(Cancelling(WithRun(1, Started)), InWindow, [ActiveJob(1, Started)], Progress(100, 30)));

        var plan = ImportJobDecision.Decide(Observe(Cancelling(NewJob()) with { Status = first.NewStatus }, InWindow.AddSeconds(5), [ActiveJob(1, Started)], Progress(100, 30)));

        Assert.Equal(["DeleteRunnerJob acme-grain-r1"], Steps(plan));
        Assert.Empty(plan.Events);
        Assert.Equal(RunOutcomes.Stopped, plan.NewStatus.Runs![0].Outcome);
    }
}
