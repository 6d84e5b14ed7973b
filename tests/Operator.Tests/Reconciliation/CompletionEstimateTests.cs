using CallImport.ImportJobs;
using CallImport.Operator.Reconciliation;
using CallImport.Operator.Scheduling;
using static CallImport.Operator.Tests.Reconciliation.Scenario;

namespace CallImport.Operator.Tests.Reconciliation;

public sealed class CompletionEstimateTests
{
    private static readonly ScheduleWindowTimes NewYorkNights =
        ScheduleWindowTimes.Resolve(NewJob().Spec.Schedule!.Window, Settings, out _)!;

    [Fact]
    public void Estimate_MoreWorkThanTonightsWindow_ContinuesNextNight()
    {
        // 10 calls per hour so far; 120 pending need 12 hours: 10 tonight (03:00Z-13:00Z), 2 from 01:00Z next night.
        var runs = new[] { new RunRecord { Number = 1, JobName = JobName(1), StartedAt = InWindow.AddHours(-1) } };

        var estimate = CompletionEstimate.Estimate(Progress(130, 10), runs, NewYorkNights, InWindow);

        Assert.Equal(NextOpening.AddHours(2), estimate);
    }

    [Fact]
    public void Estimate_WaitingOutsideWindow_StartsCountingAtNextOpening()
    {
        var runs = new[] { new RunRecord { Number = 1, JobName = JobName(1), StartedAt = WindowEnd.AddHours(-1), FinishedAt = WindowEnd } };

        var estimate = CompletionEstimate.Estimate(Progress(20, 10), runs, NewYorkNights, OutsideWindow);

        Assert.Equal(NextOpening.AddHours(1), estimate);
    }

    [Fact]
    public void Estimate_NothingDoneYet_Unknown()
    {
        var runs = new[] { new RunRecord { Number = 1, JobName = JobName(1), StartedAt = InWindow.AddHours(-1) } };

        Assert.Null(CompletionEstimate.Estimate(Progress(20, 0), runs, NewYorkNights, InWindow));
    }
}
