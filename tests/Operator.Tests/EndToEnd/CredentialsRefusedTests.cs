using CallImport.ImportJobs;

namespace CallImport.Operator.Tests.EndToEnd;

[Collection(EndToEndCollection.Name)]
public sealed class CredentialsRefusedTests(ControlPlaneFixture fixture)
{
    [SkippableFact]
    public async Task PlatformRefusesTheApiKey_FailedAndStalled_SayingWhatToDo_WithoutTheKeyAnywhere()
    {
        Kubectl.SkipWhenAbsent();
        await using var scenario = await ImportScenario.StartAsync(fixture, "refused");
        await scenario.StartOperatorAsync();
        const string wrongKey = "grain-wrong-key-7d1e4b";
        (await scenario.Kubectl.ApplyAsync(scenario.SecretYaml().Replace(scenario.Grain.ApiKey, wrongKey, StringComparison.Ordinal))).EnsureSuccess();
        (await scenario.Kubectl.ApplyAsync(scenario.ImportJobYaml("refused"))).EnsureSuccess();

        var failed = await scenario.WaitForPhaseAsync("refused", ImportJobPhase.Failed);

        var stalled = Assert.Single(failed.Status!.Conditions!, c => c.Type == "Stalled");
        Assert.Equal(("True", "CredentialsRejected"), (stalled.Status, stalled.Reason));
        Assert.Contains("grain-credentials", stalled.Message);
        // One run, one pod: the runner's exit code 3 fails the Job at once, no crash retries against a refusing vendor.
        Assert.Equal(RunOutcomes.CouldNotStart, Assert.Single(failed.Status.Runs!).Outcome);
        Assert.Single(await scenario.PodsOfAsync("refused-r1"));
        var described = (await scenario.Kubectl.RunAsync("describe", "importjob", "refused")).EnsureSuccess().Stdout;
        Assert.Contains("CredentialsRejected", described);
        Assert.DoesNotContain(wrongKey, described);
        Assert.DoesNotContain(wrongKey, ImportJobJson.Serialize(failed));
    }
}
