using CallImport.ImportJobs;
using CallImport.Operator.Reconciliation;
using static CallImport.Operator.Tests.Reconciliation.Scenario;

namespace CallImport.Operator.Tests.Reconciliation;

public sealed class StatusDecisionTests
{
    private static readonly DateTimeOffset Started = InWindow.AddHours(-2);

    [Fact]
    public void Decide_AnyCase_ObservedGenerationFollowsMetadata()
    {
        var job = WithRun(1, Started) with { Metadata = NewJob().Metadata with { Generation = 7 } };

        var plan = ImportJobDecision.Decide(Observe(job, InWindow, [ActiveJob(1, Started)], Progress(100, 40)));

        Assert.Equal(7, plan.NewStatus.ObservedGeneration);
        Assert.All(plan.NewStatus.Conditions!, c => Assert.Equal(7, c.ObservedGeneration));
    }

    [Fact]
    public void Decide_Running_CountsQualityErrorsAndHeartbeatCopied()
    {
        var progress = Progress(100, 40, failed: 25, retryable: 25, skipped: 5, heartbeat: InWindow.AddSeconds(-10));

        var plan = ImportJobDecision.Decide(Observe(WithRun(1, Started), InWindow, [ActiveJob(1, Started)], progress));

        var s = plan.NewStatus;
        Assert.Equal((100, 40, 25, 5), (s.TotalCalls, s.ProcessedCalls, s.FailedCalls, s.SkippedCalls));
        Assert.Equal(40, s.MetadataQuality?.Full);
        Assert.Equal(ImportJobStatus.MaxRecentErrors, s.RecentErrors?.Count);
        Assert.Equal(InWindow.AddSeconds(-10), s.LastProgressAt);
        Assert.Equal(100, s.EstimatedCalls);
        Assert.Equal("Run 1 (job acme-grain-r1) is importing: 45 of 100 calls done, 25 failed.", Condition(plan, ImportJobConditions.Ready)?.Message);
    }

    [Fact]
    public void Decide_ListingNotDone_NoEstimates()
    {
        var plan = ImportJobDecision.Decide(Observe(WithRun(1, Started), InWindow, [ActiveJob(1, Started)], Progress(100, 40, listingComplete: false)));

        Assert.Null(plan.NewStatus.EstimatedCalls);
        Assert.Null(plan.NewStatus.EstimatedCompletionTime);
    }

    [Fact]
    public void Decide_ListingDone_CompletionEstimatedFromRate()
    {
        // 40 calls in 2 hours of running: the 60 pending need 3 more hours, which fit before the window closes at 13:00Z.
        var plan = ImportJobDecision.Decide(Observe(WithRun(1, Started), InWindow, [ActiveJob(1, Started)], Progress(100, 40)));

        Assert.Equal(InWindow.AddHours(3), plan.NewStatus.EstimatedCompletionTime);
    }

    [Fact]
    public void Decide_RunnerSilentTooLong_ProgressingFalseWithOneWarning()
    {
        var silentSince = InWindow - Settings.HeartbeatTimeout - TimeSpan.FromMinutes(1);
        var observed = Observe(WithRun(1, Started), InWindow, [ActiveJob(1, Started)], Progress(100, 40, heartbeat: silentSince));

        var first = ImportJobDecision.Decide(observed);
        var second = ImportJobDecision.Decide(observed with { ImportJob = observed.ImportJob with { Status = first.NewStatus }, Now = InWindow.AddMinutes(1) });

        Assert.Equal(ImportJobPhase.Running, first.NewStatus.Phase);
        var progressing = Condition(first, ImportJobConditions.Progressing);
        Assert.Equal((ConditionStatus.False, ImportJobConditions.Reasons.HeartbeatStale), (progressing?.Status, progressing?.Reason));
        Assert.Equal(["Warning HeartbeatStale"], EventReasons(first));
        Assert.Empty(second.Events);
    }

    [Fact]
    public void Decide_Completed_ReadyTrue()
    {
        var plan = ImportJobDecision.Decide(Observe(WithRun(1, Started), InWindow, [CompleteJob(1, Started)], Progress(10, 10)));

        var ready = Condition(plan, ImportJobConditions.Ready);
        Assert.Equal((ConditionStatus.True, ImportJobPhase.Completed), (ready?.Status, ready?.Reason));
        Assert.Equal(Started.AddHours(1), plan.NewStatus.Runs![0].FinishedAt);
        Assert.Equal(RunOutcomes.Finished, plan.NewStatus.Runs[0].Outcome);
    }

    [Fact]
    public void Decide_ReadyStatusUnchanged_LastTransitionTimeKept()
    {
        var first = ImportJobDecision.Decide(Observe(WithRun(1, Started), InWindow, [ActiveJob(1, Started)], Progress(100, 40)));
        var later = InWindow.AddMinutes(5);

        var second = ImportJobDecision.Decide(Observe(WithRun(1, Started) with { Status = first.NewStatus }, later, [ActiveJob(1, Started)], Progress(100, 60)));

        Assert.Equal(InWindow, Condition(second, ImportJobConditions.Ready)?.LastTransitionTime);
        Assert.Contains("60", Condition(second, ImportJobConditions.Ready)?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_ReadyStatusFlips_LastTransitionTimeMoves()
    {
        var running = ImportJobDecision.Decide(Observe(WithRun(1, Started), InWindow, [ActiveJob(1, Started)], Progress(10, 5))).NewStatus;
        var later = InWindow.AddMinutes(30);

        var plan = ImportJobDecision.Decide(Observe(WithRun(1, Started) with { Status = running }, later, [CompleteJob(1, Started)], Progress(10, 10)));

        Assert.Equal(later, Condition(plan, ImportJobConditions.Ready)?.LastTransitionTime);
    }

    [Fact]
    public void Decide_PhaseTransitions_OneEventEach()
    {
        var waiting = ImportJobDecision.Decide(Observe(NewJob(), OutsideWindow));
        var stillWaiting = ImportJobDecision.Decide(Observe(NewJob() with { Status = waiting.NewStatus }, OutsideWindow.AddHours(1)));
        var running = ImportJobDecision.Decide(Observe(NewJob() with { Status = stillWaiting.NewStatus }, NextOpening));

        Assert.Equal(["Normal Waiting"], EventReasons(waiting));
        Assert.Empty(stillWaiting.Events);
        Assert.Equal(["Normal RunStarted", "Normal Running"], EventReasons(running));
    }

    public static TheoryData<string> SteadyStates => ["running", "waiting", "stalled", "completed"];

    [Theory]
    [MemberData(nameof(SteadyStates))]
    public void Decide_SameObservationTwice_SecondChangesNothing(string state)
    {
        var observed = state switch
        {
            "running" => Observe(WithRun(1, Started), InWindow, [ActiveJob(1, Started)], Progress(100, 40, heartbeat: InWindow)),
            "waiting" => Observe(NewJob(), OutsideWindow),
            "stalled" => Observe(NewJob(), InWindow, secret: CredentialsSecretState.Missing),
            _ => Observe(WithRun(1, Started), InWindow, [CompleteJob(1, Started)], Progress(10, 10)),
        };
        var first = ImportJobDecision.Decide(observed);
        // After the first plan is carried out: status written, finalizer there, Secret deleted.
        var again = observed with
        {
            ImportJob = observed.ImportJob with { Status = first.NewStatus },
            CredentialsSecret = first.Actions.Any(a => a is ReconcileAction.DeleteCredentialsSecret) ? CredentialsSecretState.Missing : observed.CredentialsSecret,
        };

        var second = ImportJobDecision.Decide(again);

        Assert.False(second.ChangesStatus(first.NewStatus));
        Assert.Empty(second.Actions);
    }

    [Fact]
    public void Decide_CompletedWithDeleteAfterImport_SecretDeletedOnce()
    {
        var first = ImportJobDecision.Decide(Observe(WithRun(1, Started), InWindow, [CompleteJob(1, Started)], Progress(10, 10)));
        // The Secret recreated by hand afterwards stays.
        var second = ImportJobDecision.Decide(Observe(WithRun(1, Started) with { Status = first.NewStatus }, InWindow.AddHours(1), [CompleteJob(1, Started)], Progress(10, 10)));

        Assert.Equal([$"DeleteCredentialsSecret {SecretName}"], Steps(first));
        Assert.Equal(ConditionStatus.True, Condition(first, ImportJobConditions.CredentialsDeleted)?.Status);
        Assert.Contains("Normal CredentialsDeleted", EventReasons(first));
        Assert.Empty(Steps(second));
    }

    [Theory]
    [InlineData(CredentialsPolicies.Retain, ImportJobPhase.Completed)]
    [InlineData(CredentialsPolicies.DeleteAfterImport, ImportJobPhase.Partial)]
    public void Decide_RetainOrNotCompleted_SecretKept(string policy, string phase)
    {
        var job = WithRun(1, Started) with { Spec = NewJob().Spec with { CredentialsPolicy = policy } };
        var progress = phase == ImportJobPhase.Completed ? Progress(10, 10) : Progress(10, 8, failed: 2);

        var plan = ImportJobDecision.Decide(Observe(job, InWindow, [CompleteJob(1, Started)], progress));

        Assert.Equal(phase, plan.NewStatus.Phase);
        Assert.Empty(plan.Actions.OfType<ReconcileAction.DeleteCredentialsSecret>());
    }

    [Fact]
    public void Decide_NoCallsInRange_CompletedWithZeroCounts()
    {
        var plan = ImportJobDecision.Decide(Observe(WithRun(1, Started), InWindow, [CompleteJob(1, Started)], Progress(0, 0)));

        Assert.Equal(ImportJobPhase.Completed, plan.NewStatus.Phase);
        Assert.Equal(0, plan.NewStatus.TotalCalls);
    }
}
