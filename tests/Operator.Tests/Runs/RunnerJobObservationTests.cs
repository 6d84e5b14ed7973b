using CallImport.Operator.Runs;
using k8s.Models;

namespace CallImport.Operator.Tests.Runs;

public sealed class RunnerJobObservationTests
{
    private static V1Job Job(string conditionType, string reason) => new()
    {
        Metadata = new V1ObjectMeta { Name = "x-r2", Labels = new Dictionary<string, string> { ["callimport.io/run"] = "2" } },
        Status = new V1JobStatus
        {
            Failed = 1,
            StartTime = new DateTime(2026, 1, 1, 10, 0, 0, DateTimeKind.Utc),
            Conditions = [new V1JobCondition { Type = conditionType, Status = "True", Reason = reason, LastTransitionTime = new DateTime(2026, 1, 1, 10, 5, 0, DateTimeKind.Utc) }],
        },
    };

    private static V1Pod Pod(int exitCode, int minute) => new()
    {
        Status = new V1PodStatus
        {
            ContainerStatuses =
            [
                new V1ContainerStatus
                {
                    Name = "runner",
                    State = new V1ContainerState { Terminated = new V1ContainerStateTerminated { ExitCode = exitCode, FinishedAt = new DateTime(2026, 1, 1, 10, minute, 0, DateTimeKind.Utc) } },
                },
            ],
        },
    };

    [Fact]
    public void Read_FailedByPolicy_TakesTheExitCodeOfThePodThatEndedLast()
    {
        var state = RunnerJobObservation.Read(Job("Failed", "PodFailurePolicy"), [Pod(4, 4), Pod(137, 1)]);

        Assert.Equal((2, true, false, "PodFailurePolicy", 4), (state.RunNumber, state.IsFailed, state.IsComplete, state.FailedReason, state.LastExitCode));
        Assert.Equal(new DateTimeOffset(2026, 1, 1, 10, 5, 0, TimeSpan.Zero), state.CompletionTime);
        Assert.Equal(new DateTimeOffset(2026, 1, 1, 10, 0, 0, TimeSpan.Zero), state.StartTime);
    }

    [Fact]
    public void Read_StillRunning_HasNoExitCodeAndHasNotEnded()
    {
        var job = new V1Job { Metadata = new V1ObjectMeta { Name = "x-r1", Labels = new Dictionary<string, string> { ["callimport.io/run"] = "1" } }, Status = new V1JobStatus { Active = 1 } };

        var state = RunnerJobObservation.Read(job, []);

        Assert.False(RunnerJobObservation.HasEnded(job));
        Assert.Equal((1, 1, false, (int?)null), (state.RunNumber, state.ActivePods, state.IsFinished, state.LastExitCode));
    }
}
