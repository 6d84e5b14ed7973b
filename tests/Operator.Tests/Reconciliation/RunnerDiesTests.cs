using CallImport.ImportJobs;
using CallImport.Operator.Reconciliation;
using static CallImport.Operator.Tests.Reconciliation.Scenario;

namespace CallImport.Operator.Tests.Reconciliation;

public sealed class RunnerDiesTests
{
    private static readonly DateTimeOffset Started = InWindow.AddHours(-2);

    // exit code (-1 = none known), Job Complete?, work left?, expected outcome
    public static TheoryData<int, bool, bool, string> Outcomes => new()
    {
        { 0, true, false, RunOutcomes.Finished },
        { 0, true, true, RunOutcomes.StoppedEarly },
        { -1, true, false, RunOutcomes.Finished },
        { -1, true, true, RunOutcomes.StoppedEarly },
        { 2, false, false, RunOutcomes.FinishedWithFailures },
        { 3, false, true, RunOutcomes.CouldNotStart },
        { 4, false, true, RunOutcomes.StoppedEarly },
        { 137, false, true, RunOutcomes.Crashed },
        { 1, false, false, RunOutcomes.Crashed },
        { -1, false, true, RunOutcomes.Crashed },
    };

    [Theory]
    [MemberData(nameof(Outcomes))]
    public void Outcome_ExitCodeJobConditionAndWorkLeft_GivesRunOutcome(int exitCode, bool complete, bool workLeft, string expected)
    {
        var job = new RunnerJobState { Name = JobName(1), RunNumber = 1, IsComplete = complete, IsFailed = !complete, LastExitCode = exitCode < 0 ? null : exitCode };
        var progress = workLeft ? Progress(10, 5) : Progress(10, 10);

        Assert.Equal(expected, RunHistory.Outcome(job, progress));
    }

    [Fact]
    public void Decide_RunnerCrashed_RecordsOutcomeWarnsAndStartsNextRun()
    {
        var plan = ImportJobDecision.Decide(Observe(WithRun(1, Started), InWindow, [FailedJob(1, Started)], Progress(100, 30)));

        var runs = plan.NewStatus.Runs!;
        Assert.Equal([1, 2], runs.Select(r => r.Number));
        Assert.Equal(RunOutcomes.Crashed, runs[0].Outcome);
        Assert.Equal(Started.AddHours(1), runs[0].FinishedAt);
        Assert.Null(runs[1].Outcome);
        Assert.Equal(JobName(2), plan.NewStatus.ActiveRun);
        var crashed = Assert.Single(plan.Events, e => e.Reason == "RunCrashed");
        Assert.Equal(EventTypes.Warning, crashed.Type);
        Assert.Contains("BackoffLimitExceeded", crashed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_ThirdCrashInARow_FailedWithAdvice()
    {
        var job = WithRun(3, Started, ImportJobPhase.Running, CrashedRun(1, Started.AddHours(-4)), CrashedRun(2, Started.AddHours(-3)));

        var plan = ImportJobDecision.Decide(Observe(job, InWindow, [FailedJob(3, Started)], Progress(100, 30)));

        var ready = Condition(plan, ImportJobConditions.Ready);
        Assert.Equal((ConditionStatus.False, ImportJobPhase.Failed), (ready?.Status, ready?.Reason));
        Assert.Contains("3 runs in a row", ready?.Message, StringComparison.Ordinal);
        Assert.Contains($"kubectl logs job/{JobName(3)}", ready?.Message, StringComparison.Ordinal);
        Assert.Equal(InWindow, plan.NewStatus.CompletedAt);
    }

    [Fact]
    public void Decide_CrashAfterAStoppedEarlyRun_CountsOnlyCrashesInARow()
    {
        var stopped = new RunRecord { Number = 2, JobName = JobName(2), StartedAt = Started.AddHours(-3), FinishedAt = Started.AddHours(-2), Outcome = RunOutcomes.StoppedEarly };
        var job = WithRun(3, Started, ImportJobPhase.Running, CrashedRun(1, Started.AddHours(-4)), stopped);

        var plan = ImportJobDecision.Decide(Observe(job, InWindow, [FailedJob(3, Started)], Progress(100, 30)));

        Assert.Equal(["CreateRunnerJob acme-grain-r4"], Steps(plan));
    }

    [Fact]
    public void Decide_CreatedJobNotYetSeen_KeepsRunningWithoutSecondCreate()
    {
        var job = WithRun(1, InWindow.AddSeconds(-30));

        var plan = ImportJobDecision.Decide(Observe(job, InWindow, [], Progress(0, 0, listingComplete: false)));

        Assert.Equal(ImportJobPhase.Running, plan.NewStatus.Phase);
        Assert.Empty(Steps(plan));
        Assert.Equal(JobName(1), plan.NewStatus.ActiveRun);
    }

    [Fact]
    public void Decide_JobGoneLongerThanAppearTimeout_RunCountsAsCrashedAndNextStarts()
    {
        var job = WithRun(1, InWindow - Settings.RunnerJobAppearTimeout - TimeSpan.FromSeconds(1));

        var plan = ImportJobDecision.Decide(Observe(job, InWindow, [], Progress(100, 30)));

        Assert.Equal(RunOutcomes.Crashed, plan.NewStatus.Runs![0].Outcome);
        Assert.Contains("Warning RunLost", EventReasons(plan));
        Assert.Equal(["CreateRunnerJob acme-grain-r2"], Steps(plan));
    }

    [Fact]
    public void Decide_JobsObservedButMissingFromStatus_AreAdoptedNotDuplicated()
    {
        // The status write after creating run 2 was lost; the Jobs themselves are the truth.
        var job = NewJob() with { Status = new ImportJobStatus { Phase = ImportJobPhase.Running } };

        var plan = ImportJobDecision.Decide(Observe(job, InWindow, [FailedJob(1, Started), ActiveJob(2, Started.AddHours(1))], Progress(100, 50)));

        Assert.Empty(Steps(plan));
        Assert.Equal([1, 2], plan.NewStatus.Runs!.Select(r => r.Number));
        Assert.Equal(JobName(2), plan.NewStatus.ActiveRun);
    }
}
