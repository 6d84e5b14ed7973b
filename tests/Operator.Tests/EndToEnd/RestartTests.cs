using CallImport.ImportJobs;

namespace CallImport.Operator.Tests.EndToEnd;

[Collection(EndToEndCollection.Name)]
public sealed class RestartTests(ControlPlaneFixture fixture)
{
    [SkippableFact]
    public async Task OperatorRestartedMidRun_PicksUpTheRunningJob_WithoutStartingAnother()
    {
        Kubectl.SkipWhenAbsent();
        await using var scenario = await ImportScenario.StartAsync(fixture, "restart", new Testing.Fakes.Grain.GrainFakeOptions { RecordingCount = 20 });
        scenario.Grain.Faults.DelayNext(10_000, TimeSpan.FromMilliseconds(200));
        var first = await scenario.StartOperatorAsync("before-restart");
        (await scenario.Kubectl.ApplyAsync(scenario.SecretYaml())).EnsureSuccess();
        (await scenario.Kubectl.ApplyAsync(scenario.ImportJobYaml("restarted"))).EnsureSuccess();
        await scenario.WaitForAsync("restarted", i => i.Status?.Phase == ImportJobPhase.Running && i.Status.ProcessedCalls > 0, "running with progress");

        await first.StopAsync();
        await scenario.StartOperatorAsync("after-restart");
        scenario.Grain.Faults.Clear();

        var done = await scenario.WaitForPhaseAsync("restarted", ImportJobPhase.Completed);
        Assert.Equal(scenario.Grain.Recordings.Count, done.Status!.ProcessedCalls);
        Assert.Equal(["restarted-r1"], (await scenario.RunnerJobsAsync("restarted")).Select(j => j.Metadata.Name));
        Assert.Single(done.Status.Runs!);
        var (rows, distinct) = await scenario.EngagementsAsync();
        Assert.Equal((scenario.Grain.Recordings.Count, scenario.Grain.Recordings.Count), ((int)rows, (int)distinct));
    }
}
