using CallImport.ImportJobs;

namespace CallImport.Operator.Tests.EndToEnd;

[Collection(EndToEndCollection.Name)]
public sealed class RetryTests(ControlPlaneFixture fixture)
{
    [SkippableFact]
    public async Task FailedRetryableCalls_RetryAnnotation_ImportsThem_AndEchoesTheRequest()
    {
        Kubectl.SkipWhenAbsent();
        await using var scenario = await ImportScenario.StartAsync(fixture, "retry");
        var flaky = scenario.Grain.Recordings.Take(3).Select(r => r.Id).ToList();
        // One attempt per call, two tries per request: these three fail for now, retryably.
        foreach (var id in flaky)
            scenario.Grain.Faults.FailDetailFor(id, 2);
        await scenario.StartOperatorAsync(adjust: s => s["Operator:RunnerEnvironment:CALLIMPORT_HTTP_MAX_RETRIES"] = "1");
        (await scenario.Kubectl.ApplyAsync(scenario.SecretYaml())).EnsureSuccess();
        (await scenario.Kubectl.ApplyAsync(scenario.ImportJobYaml("retried", "maxAttemptsPerCall: 1\ncredentialsPolicy: Retain"))).EnsureSuccess();

        var partial = await scenario.WaitForPhaseAsync("retried", ImportJobPhase.Partial);
        Assert.Equal(flaky.Count, partial.Status!.FailedCalls);
        Assert.Equal(flaky.Order(), partial.Status.RecentErrors!.Select(e => e.CallId).Order());
        Assert.All(partial.Status.RecentErrors!, e => Assert.True(e.Retryable));
        // Exit code 2 (some calls failed) fails the Job at once through its podFailurePolicy: one pod, no crash retries.
        Assert.Single(await scenario.PodsOfAsync("retried-r1"));

        (await scenario.Kubectl.RunAsync("annotate", "importjob", "retried", "callimport.io/retry-requested-at=first-retry", "--overwrite")).EnsureSuccess();

        await scenario.WaitForAsync("retried", i => i.Status?.LastHandledRetryAt == "first-retry", "retry handled");
        var done = await scenario.WaitForPhaseAsync("retried", ImportJobPhase.Completed);
        Assert.Equal("first-retry", done.Status!.LastHandledRetryAt);
        Assert.Equal(0, done.Status.FailedCalls);
        Assert.Equal(scenario.Grain.Recordings.Count, done.Status.ProcessedCalls);
        Assert.Equal(["retried-r1", "retried-r2"], (await scenario.RunnerJobsAsync("retried")).Select(j => j.Metadata.Name).Order());
        var (rows, distinct) = await scenario.EngagementsAsync();
        Assert.Equal((scenario.Grain.Recordings.Count, scenario.Grain.Recordings.Count), ((int)rows, (int)distinct));
    }
}
