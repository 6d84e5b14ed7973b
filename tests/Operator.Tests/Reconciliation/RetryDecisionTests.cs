using CallImport.ImportJobs;
using CallImport.Operator.Reconciliation;
using static CallImport.Operator.Tests.Reconciliation.Scenario;

namespace CallImport.Operator.Tests.Reconciliation;

public sealed class RetryDecisionTests
{
    private const string RetryValue = "2026-01-15T02:59:00Z";
    private static readonly DateTimeOffset Started = InWindow.AddHours(-3);

    private static ImportJob WithRetry(ImportJob job, string value) =>
        job with { Metadata = job.Metadata with { Annotations = DecisionTableTests.Retry(value) } };

    private static ObservedImportJob PartialWithRetry(string value, ImportJobStatus? status = null) =>
        Observe(WithRetry(Ended(ImportJobPhase.Partial), value) with { Status = status ?? Ended(ImportJobPhase.Partial).Status }, InWindow,
            [CompleteJob(1, Started, RunnerExitCodes.CallsFailed)], Progress(100, 95, failed: 5, retryable: 3));

    [Fact]
    public void Decide_NewRetryValue_EchoedFailedCountsMovedAndRunMarked()
    {
        var plan = ImportJobDecision.Decide(PartialWithRetry(RetryValue));

        Assert.Equal(RetryValue, plan.NewStatus.LastHandledRetryAt);
        Assert.Equal(2, plan.NewStatus.FailedCalls);
        Assert.Equal(RetryValue, plan.NewStatus.Runs![0].RetryAfter);
        Assert.Null(plan.NewStatus.CompletedAt);
        Assert.Contains("Normal RetryRequested", EventReasons(plan));
        Assert.Contains("Normal Running", EventReasons(plan));
    }

    [Fact]
    public void Decide_RetryValueAlreadyHandled_NothingHappens()
    {
        var handled = Ended(ImportJobPhase.Partial).Status! with { LastHandledRetryAt = RetryValue };

        var plan = ImportJobDecision.Decide(PartialWithRetry(RetryValue, handled));

        Assert.Equal(ImportJobPhase.Partial, plan.NewStatus.Phase);
        Assert.Empty(Steps(plan));
        Assert.Empty(plan.Events);
    }

    [Fact]
    public void Decide_RetryWhileRunning_HandledOnlyAfterTheRun()
    {
        var job = WithRetry(WithRun(1, Started), RetryValue);

        var plan = ImportJobDecision.Decide(Observe(job, InWindow, [ActiveJob(1, Started)], Progress(100, 50, failed: 2, retryable: 2)));

        Assert.Null(plan.NewStatus.LastHandledRetryAt);
        Assert.Empty(Steps(plan));
    }

    [Fact]
    public void Decide_RetryWithNothingRetryable_EchoedWithEventAndPhaseKept()
    {
        var job = WithRetry(Ended(ImportJobPhase.Partial), RetryValue);

        var plan = ImportJobDecision.Decide(Observe(job, InWindow, [CompleteJob(1, Started, RunnerExitCodes.CallsFailed)], Progress(100, 95, failed: 5, retryable: 0)));

        Assert.Equal(RetryValue, plan.NewStatus.LastHandledRetryAt);
        Assert.Equal(ImportJobPhase.Partial, plan.NewStatus.Phase);
        Assert.Empty(Steps(plan));
        Assert.Contains("Normal RetryNothingToDo", EventReasons(plan));
    }

    [Fact]
    public void Decide_RetryOutsideWindow_ResetNowRunLater()
    {
        var job = WithRetry(Ended(ImportJobPhase.Partial), RetryValue);

        var plan = ImportJobDecision.Decide(Observe(job, OutsideWindow, [CompleteJob(1, Started, RunnerExitCodes.CallsFailed)], Progress(100, 95, failed: 5, retryable: 3)));

        Assert.Equal([$"ResetRetryableFailures {RetryValue}"], Steps(plan));
        Assert.Equal(ImportJobPhase.Waiting, plan.NewStatus.Phase);
        Assert.Equal(NextOpening, plan.NewStatus.NextWindowStart);
    }

    [Fact]
    public void Decide_RetryAfterCredentialsRejected_StallClearedAndRunStarts()
    {
        var started = InWindow.AddMinutes(-30);
        var rejected = Progress(0, 0, listingComplete: false) with { CredentialsRejected = true };
        var failed = ImportJobDecision.Decide(Observe(WithRun(1, started), InWindow.AddMinutes(-20), [FailedJob(1, started, "PodFailurePolicy", RunnerExitCodes.CouldNotStart)], rejected)).NewStatus;

        var plan = ImportJobDecision.Decide(Observe(WithRetry(NewJob(), RetryValue) with { Status = failed }, InWindow, [FailedJob(1, started, "PodFailurePolicy", RunnerExitCodes.CouldNotStart)], rejected));

        Assert.Equal([$"ResetRetryableFailures {RetryValue}", "CreateRunnerJob acme-grain-r2"], Steps(plan));
        Assert.Null(Condition(plan, ImportJobConditions.Stalled));
    }

    [Fact]
    public void Decide_RetryAfterRunnerKeptCrashing_CrashCountStartsAfresh()
    {
        var crashed = WithRun(3, Started, ImportJobPhase.Failed, CrashedRun(1, Started.AddHours(-4)), CrashedRun(2, Started.AddHours(-3)));
        var endedStatus = ImportJobDecision.Decide(Observe(crashed, InWindow.AddMinutes(-10), [FailedJob(3, Started)], Progress(100, 30))).NewStatus;
        Assert.Equal(ImportJobPhase.Failed, endedStatus.Phase);

        var retried = ImportJobDecision.Decide(Observe(WithRetry(NewJob(), RetryValue) with { Status = endedStatus }, InWindow, [FailedJob(3, Started)], Progress(100, 30)));
        // Run 4 crashes as well: one crash since the retry is below the limit, so run 5 starts.
        var run4Start = InWindow.AddMinutes(1);
        var afterCrash = ImportJobDecision.Decide(Observe(WithRetry(NewJob(), RetryValue) with { Status = retried.NewStatus }, InWindow.AddMinutes(30),
            [FailedJob(3, Started), FailedJob(4, run4Start)], Progress(100, 30)));

        Assert.Equal([$"ResetRetryableFailures {RetryValue}", "CreateRunnerJob acme-grain-r4"], Steps(retried));
        Assert.Equal(["CreateRunnerJob acme-grain-r5"], Steps(afterCrash));
    }
}
