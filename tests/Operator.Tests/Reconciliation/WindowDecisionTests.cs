using CallImport.ImportJobs;
using CallImport.Operator.Reconciliation;
using static CallImport.Operator.Tests.Reconciliation.Scenario;

namespace CallImport.Operator.Tests.Reconciliation;

public sealed class WindowDecisionTests
{
    [Fact]
    public void Decide_OutsideWindow_WaitingWithNextWindowStartAndReason()
    {
        var plan = ImportJobDecision.Decide(Observe(NewJob(), OutsideWindow));

        Assert.Equal(NextOpening, plan.NewStatus.NextWindowStart);
        var scheduled = Condition(plan, ImportJobConditions.Scheduled);
        Assert.Equal(("False", "OutsideWindow"), (scheduled?.Status, scheduled?.Reason));
        Assert.Contains("2026-01-15 20:00 America/New_York (2026-01-16 01:00 UTC)", scheduled?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_InWindow_RunnerStopsAtWindowEnd()
    {
        var plan = ImportJobDecision.Decide(Observe(NewJob(), InWindow));

        var create = Assert.Single(plan.Actions.OfType<ReconcileAction.CreateRunnerJob>());
        Assert.Equal(new ReconcileAction.CreateRunnerJob(1, JobName(1), WindowEnd), create);
        Assert.Null(plan.NewStatus.NextWindowStart);
        Assert.Equal(JobName(1), plan.NewStatus.ActiveRun);
        Assert.Equal(InWindow, plan.NewStatus.StartedAt);
    }

    [Fact]
    public void Decide_NoWindowInSpec_UsesOperatorDefaultWindowAndZone()
    {
        var job = NewJob() with { Spec = NewJob().Spec with { Schedule = null } };
        // 21:00 in Berlin (CET) is inside the default 20:00-08:00, 19:00 is not.
        var settings = Settings with { DefaultTimeZone = "Europe/Berlin" };

        var inside = ImportJobDecision.Decide(Observe(job, Utc("2026-01-15T20:00:00Z"), settings: settings));
        var outside = ImportJobDecision.Decide(Observe(job, Utc("2026-01-15T18:00:00Z"), settings: settings));

        Assert.Equal(ImportJobPhase.Running, inside.NewStatus.Phase);
        Assert.Equal(Utc("2026-01-16T07:00:00Z"), inside.Actions.OfType<ReconcileAction.CreateRunnerJob>().Single().StopAt);
        Assert.Equal(ImportJobPhase.Waiting, outside.NewStatus.Phase);
        Assert.Equal(Utc("2026-01-15T19:00:00Z"), outside.NewStatus.NextWindowStart);
    }

    [Theory]
    // Quota back at 02:00Z (21:00 New York): inside the window, so the next run starts right then.
    [InlineData("2026-01-16T02:00:00Z", "2026-01-16T02:00:00Z")]
    // Quota back at 14:00Z (09:00 New York): the window has closed, so the next run waits for 20:00.
    [InlineData("2026-01-15T14:00:00Z", "2026-01-16T01:00:00Z")]
    public void Decide_DailyQuotaSpent_WaitsForQuotaAndWindow(string quotaUntil, string expectedNext)
    {
        var job = WithRun(1, InWindow.AddHours(-1));
        var progress = Progress(100, 30) with { QuotaExhaustedUntil = Utc(quotaUntil) };

        var plan = ImportJobDecision.Decide(Observe(job, InWindow, [FailedJob(1, InWindow.AddHours(-1), "PodFailurePolicy", RunnerExitCodes.StoppedEarly)], progress));

        Assert.Equal(ImportJobPhase.Waiting, plan.NewStatus.Phase);
        Assert.Equal(Utc(expectedNext), plan.NewStatus.NextWindowStart);
        Assert.Equal(Utc(expectedNext) - InWindow, plan.RequeueAfter);
        Assert.Equal("QuotaExhausted", Condition(plan, ImportJobConditions.Scheduled)?.Reason);
    }

    [Fact]
    public void Decide_WaitingAndWindowOpens_StartsNextRun()
    {
        var waiting = WithRun(1, Utc("2026-01-14T03:00:00Z")) with
        {
            Status = WithRun(1, Utc("2026-01-14T03:00:00Z")).Status! with { Phase = ImportJobPhase.Waiting, ActiveRun = null, NextWindowStart = NextOpening },
        };
        var finished = FailedJob(1, Utc("2026-01-14T03:00:00Z"), "PodFailurePolicy", RunnerExitCodes.StoppedEarly);

        var plan = ImportJobDecision.Decide(Observe(waiting, NextOpening, [finished], Progress(100, 30)));

        Assert.Equal(["CreateRunnerJob acme-grain-r2"], Steps(plan));
        Assert.Contains("Normal Running", EventReasons(plan));
    }
}
