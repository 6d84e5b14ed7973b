using CallImport.ImportJobs;

namespace CallImport.Operator.Tests.EndToEnd;

[Collection(EndToEndCollection.Name)]
public sealed class CancelTests(ControlPlaneFixture fixture)
{
    [SkippableFact]
    public async Task CancelSetWhileRunning_EndsCancelled_RunnerJobDeleted_RecordKept()
    {
        Kubectl.SkipWhenAbsent();
        await using var scenario = await ImportScenario.StartAsync(fixture, "cancel", new Testing.Fakes.Grain.GrainFakeOptions { RecordingCount = 20 });
        scenario.Grain.Faults.DelayNext(100_000, TimeSpan.FromMilliseconds(500));
        await scenario.StartOperatorAsync();
        (await scenario.Kubectl.ApplyAsync(scenario.SecretYaml())).EnsureSuccess();
        (await scenario.Kubectl.ApplyAsync(scenario.ImportJobYaml("cancelled"))).EnsureSuccess();
        await scenario.WaitForPhaseAsync("cancelled", ImportJobPhase.Running);

        (await scenario.Kubectl.RunAsync("patch", "importjob", "cancelled", "--type", "merge", "-p", """{"spec":{"cancel":true}}""")).EnsureSuccess();

        var cancelled = await scenario.WaitForPhaseAsync("cancelled", ImportJobPhase.Cancelled);
        Assert.Null(cancelled.Status!.ActiveRun);
        Assert.Equal(RunOutcomes.Stopped, cancelled.Status.Runs!.Single().Outcome);
        await ImportScenario.EventuallyAsync(async () => (await scenario.RunnerJobsAsync("cancelled")).Count == 0, "the runner Job deleted");
        var table = (await scenario.Kubectl.RunAsync("get", "ij", "cancelled", "--no-headers")).EnsureSuccess().Stdout;
        Assert.Contains("Cancelled", table);
        Assert.True(scenario.Grain.Recordings.Count > cancelled.Status.ProcessedCalls.GetValueOrDefault());
    }
}
