using CallImport.ImportJobs;

namespace CallImport.Operator.Tests.EndToEnd;

[Collection(EndToEndCollection.Name)]
public sealed class MissingSecretTests(ControlPlaneFixture fixture)
{
    [SkippableFact]
    public async Task ImportJobWithoutItsSecret_StalledWithWhatToDo_ThenRunsOnceTheSecretExists()
    {
        Kubectl.SkipWhenAbsent();
        await using var scenario = await ImportScenario.StartAsync(fixture, "missing-secret");
        await scenario.StartOperatorAsync(adjust: s => s["Operator:StalledRecheckInterval"] = "01:00:00");
        (await scenario.Kubectl.ApplyAsync(scenario.ImportJobYaml("no-secret", secret: "not-there-yet"))).EnsureSuccess();

        var stalled = await scenario.WaitForAsync("no-secret",
            i => i.Status?.Conditions?.Any(c => c.Type == "Stalled" && c.Status == "True") == true, "Stalled");
        var condition = stalled.Status!.Conditions!.Single(c => c.Type == "Stalled");
        Assert.Equal("SecretNotFound", condition.Reason);
        Assert.Contains("not-there-yet", condition.Message);
        Assert.Empty(await scenario.RunnerJobsAsync("no-secret"));
        var described = (await scenario.Kubectl.RunAsync("describe", "importjob", "no-secret")).EnsureSuccess().Stdout;
        Assert.Contains("SecretNotFound", described);

        (await scenario.Kubectl.ApplyAsync(scenario.SecretYaml("not-there-yet"))).EnsureSuccess();

        var done = await scenario.WaitForPhaseAsync("no-secret", ImportJobPhase.Completed);
        Assert.DoesNotContain(done.Status!.Conditions!, c => c.Type == "Stalled");
    }
}
