using CallImport.ImportJobs;
using CallImport.Operator.Reconciliation;
using static CallImport.Operator.Tests.Reconciliation.Scenario;

namespace CallImport.Operator.Tests.Reconciliation;

/// <summary>A status that stays true: the message, the Scheduled condition after the end, the last run's Job, bounded runs and Job cleanup.</summary>
public sealed class StatusMessageDecisionTests
{
    private static readonly DateTimeOffset Started = InWindow.AddHours(-2);

    /// <summary>Run 1 going, as the status says after it started: Scheduled True, "Run 1 … is running".</summary>
    private static ImportJob Running() => ImportJobDecision.Decide(Observe(NewJob(), Started)).NewStatus is var s
        ? NewJob() with { Status = s with { Runs = [s.Runs![0] with { StartedAt = Started }] } }
        : throw new InvalidOperationException();

    public static TheoryData<string, int?, int, int> Endings => new()
    {
        { ImportJobPhase.Completed, 0, 5, 0 },
        { ImportJobPhase.Partial, 2, 3, 1 },
        { ImportJobPhase.Failed, 2, 0, 5 },
    };

    [Theory]
    [MemberData(nameof(Endings))]
    public void Decide_RunEnds_ScheduledNoLongerSaysRunningAndLastRunKept(string phase, int? exitCode, int processed, int failed)
    {
        Assert.Equal(ConditionStatus.True, Running().Status!.Conditions!.Single(c => c.Type == ImportJobConditions.Scheduled).Status);
        var plan = ImportJobDecision.Decide(Observe(Running(), InWindow, [CompleteJob(1, Started, exitCode)],
            Progress(processed + failed, processed, failed: failed)));

        Assert.Equal(phase, plan.NewStatus.Phase);
        var scheduled = Condition(plan, ImportJobConditions.Scheduled);
        Assert.Equal((ConditionStatus.False, phase), (scheduled?.Status, scheduled?.Reason));
        Assert.DoesNotContain("is running", scheduled?.Message, StringComparison.Ordinal);
        Assert.Null(plan.NewStatus.ActiveRun);
        Assert.Equal(JobName(1), plan.NewStatus.LastRun);
        Assert.Equal(Condition(plan, ImportJobConditions.Ready)?.Message, plan.NewStatus.Message);
    }

    [Fact]
    public void Decide_Cancelled_ScheduledFalseAndMessageSaysCancelled()
    {
        var job = Running() with { Spec = NewJob().Spec with { Cancel = true } };

        var plan = ImportJobDecision.Decide(Observe(job, InWindow, [ActiveJob(1, Started)], Progress(10, 3)));

        Assert.Equal(ConditionStatus.False, Condition(plan, ImportJobConditions.Scheduled)?.Status);
        Assert.Equal(ImportJobMessages.Cancelled, plan.NewStatus.Message);
        Assert.Equal(JobName(1), plan.NewStatus.LastRun);
    }

    [Fact]
    public void Decide_Waiting_MessageSaysWhenTheNextRunStarts()
    {
        var plan = ImportJobDecision.Decide(Observe(NewJob(), OutsideWindow));

        Assert.Equal(ImportJobPhase.Waiting, plan.NewStatus.Phase);
        Assert.Contains("the next run starts at", plan.NewStatus.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_ManyRuns_StatusListsOnlyTheLatestAndCountsAll()
    {
        var settings = Settings with { MaxRunsInStatus = 4 };
        var earlier = Enumerable.Range(1, 11).Select(n => Scenario.StoppedRun(n, Started.AddDays(-12 + n))).ToArray();
        var job = WithRun(12, Started, earlier: earlier);

        var plan = ImportJobDecision.Decide(Observe(job, InWindow, [ActiveJob(12, Started)], Progress(100, 40), settings: settings));

        Assert.Equal([9, 10, 11, 12], plan.NewStatus.Runs!.Select(r => r.Number));
        Assert.Equal(12, plan.NewStatus.RunsStarted);
    }

    [Fact]
    public void Decide_OldFinishedJobOfATrimmedRun_NotListedAgain()
    {
        var settings = Settings with { MaxRunsInStatus = 3 };
        var kept = Enumerable.Range(3, 2).Select(n => Scenario.StoppedRun(n, Started.AddDays(-5 + n))).ToArray();
        var job = WithRun(5, Started, earlier: kept);

        var plan = ImportJobDecision.Decide(Observe(job, InWindow, [CompleteJob(1, Started.AddDays(-5), 4), ActiveJob(5, Started)], Progress(100, 40), settings: settings));

        Assert.Equal([3, 4, 5], plan.NewStatus.Runs!.Select(r => r.Number));
        Assert.DoesNotContain("RunFinished", plan.Events.Select(e => e.Reason));
    }

    [Fact]
    public void Decide_MoreFinishedJobsThanKept_OldestRecordedOnesDeleted()
    {
        var settings = Settings with { FinishedRunnerJobsKept = 2 };
        var earlier = Enumerable.Range(1, 4).Select(n => Scenario.StoppedRun(n, Started.AddDays(-5 + n))).ToArray();
        var job = WithRun(5, Started, earlier: earlier);
        var jobs = earlier.Select(r => CompleteJob(r.Number, r.StartedAt!.Value, RunnerExitCodes.StoppedEarly)).Append(ActiveJob(5, Started)).ToList();

        var plan = ImportJobDecision.Decide(Observe(job, InWindow, jobs, Progress(100, 40), settings: settings));

        Assert.Equal([$"DeleteRunnerJob {JobName(2)}", $"DeleteRunnerJob {JobName(1)}"], Steps(plan));
    }

    [Fact]
    public void Decide_FinishedJobNotYetRecorded_NeverDeleted()
    {
        var settings = Settings with { FinishedRunnerJobsKept = 1 };
        var job = WithRun(2, Started, earlier: Scenario.StoppedRun(1, Started.AddDays(-1)));

        // Run 2 ended just now (not yet recorded): run 1's Job goes, run 2's stays whatever the count.
        var plan = ImportJobDecision.Decide(Observe(job, InWindow,
            [CompleteJob(1, Started.AddDays(-1), RunnerExitCodes.StoppedEarly), CompleteJob(2, Started, RunnerExitCodes.StoppedEarly)], Progress(100, 40), settings: settings));

        Assert.Contains($"DeleteRunnerJob {JobName(1)}", Steps(plan));
        Assert.DoesNotContain($"DeleteRunnerJob {JobName(2)}", Steps(plan));
    }

    [Fact]
    public void ActionFailed_StatusKeepsThePhase_SaysWhatFailedAndWarns()
    {
        var observed = Observe(WithRun(1, Started), InWindow, [ActiveJob(1, Started)], Progress(10, 3));

        var plan = ImportJobDecision.ActionFailed(observed, new ReconcileAction.CreateRunnerJob(2, JobName(2), null),
            "422 Job.batch \"x\" is invalid: metadata.labels: Invalid value");

        Assert.Equal(ImportJobPhase.Running, plan.NewStatus.Phase);
        var ready = Condition(plan, ImportJobConditions.Ready);
        Assert.Equal((ConditionStatus.False, ImportJobConditions.Reasons.ActionFailed), (ready?.Status, ready?.Reason));
        Assert.StartsWith($"Creating runner Job '{JobName(2)}' failed: 422 Job.batch", plan.NewStatus.Message, StringComparison.Ordinal);
        Assert.Equal(["Warning ActionFailed"], EventReasons(plan));
        Assert.Empty(Steps(plan));
    }
}
