using CallImport.ImportJobs;
using k8s;

namespace CallImport.Operator.Tests.EndToEnd;

/// <summary>The audit's operator findings, end to end on the local control plane with real runners.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class HardeningTests(ControlPlaneFixture fixture)
{
    /// <summary>Long enough that only a watch event, not the periodic recheck, can move a stalled import on within the test.</summary>
    private static void NoQuickRecheck(Dictionary<string, string?> s) => s["Operator:StalledRecheckInterval"] = "01:00:00";

    [SkippableFact]
    public async Task UnknownFilter_StalledAtOnceWithTheRunnersMessage_OneRun_NoVendorRequest()
    {
        Kubectl.SkipWhenAbsent();
        await using var scenario = await ImportScenario.StartAsync(fixture, "bad-filter");
        await scenario.StartOperatorAsync(adjust: NoQuickRecheck);
        (await scenario.Kubectl.ApplyAsync(scenario.SecretYaml())).EnsureSuccess();
        (await scenario.Kubectl.ApplyAsync(scenario.ImportJobYaml("bad-filter", "filters:\n  teem: sales"))).EnsureSuccess();

        var failed = await scenario.WaitForPhaseAsync("bad-filter", ImportJobPhase.Failed);

        var stalled = Assert.Single(failed.Status!.Conditions!, c => c.Type == "Stalled");
        Assert.Equal(("True", "SettingsRejected"), (stalled.Status, stalled.Reason));
        Assert.Contains("Unknown Grain filter 'teem'", stalled.Message);
        Assert.Equal(stalled.Message, failed.Status.Message);
        Assert.Equal(RunOutcomes.CouldNotStart, Assert.Single(failed.Status.Runs!).Outcome);
        Assert.Single(await scenario.PodsOfAsync("bad-filter-r1"));
        Assert.Equal(0, scenario.Grain.Traffic.TotalRequests);
        Assert.Equal("bad-filter-r1", failed.Status.LastRun);
        Assert.DoesNotContain(failed.Status.Conditions!, c => c.Type == "Scheduled" && c.Status == "True");

        // The range and filters cannot change once a run started: the API server says to create a new ImportJob.
        var edit = await scenario.Kubectl.RunAsync("patch", "importjob", "bad-filter", "--type=merge", "-p", """{"spec":{"filters":{"team":"sales"}}}""");
        Assert.NotEqual(0, edit.ExitCode);
        Assert.Contains("create a new ImportJob", edit.Stderr + edit.Stdout);
    }

    [SkippableFact]
    public async Task RefusedCredentialsReplaced_ImportCompletesWithinSeconds_WithoutARetryRequest()
    {
        Kubectl.SkipWhenAbsent();
        await using var scenario = await ImportScenario.StartAsync(fixture, "replaced");
        await scenario.StartOperatorAsync(adjust: NoQuickRecheck);
        (await scenario.Kubectl.ApplyAsync(scenario.SecretYaml().Replace(scenario.Grain.ApiKey, "grain-wrong-key-0c2f", StringComparison.Ordinal))).EnsureSuccess();
        (await scenario.Kubectl.ApplyAsync(scenario.ImportJobYaml("replaced"))).EnsureSuccess();
        var failed = await scenario.WaitForPhaseAsync("replaced", ImportJobPhase.Failed);
        Assert.Contains("tries again by itself", failed.Status!.Message);

        (await scenario.Kubectl.ApplyAsync(scenario.SecretYaml())).EnsureSuccess();

        // Failed is an end phase: wait past it for the import the Secret change revived.
        var done = await scenario.WaitForAsync("replaced", i => i.Status?.Phase == ImportJobPhase.Completed, "Completed after the Secret was replaced");
        Assert.Equal(scenario.Grain.Recordings.Count, done.Status!.ProcessedCalls);
        Assert.Null(done.Status.LastHandledRetryAt);
    }

    [SkippableFact]
    public async Task SecretSharedByTwoImportJobs_DeletedOnlyAfterTheLastCompletes()
    {
        Kubectl.SkipWhenAbsent();
        await using var scenario = await ImportScenario.StartAsync(fixture, "shared-secret");
        (await scenario.Kubectl.ApplyAsync(scenario.SecretYaml())).EnsureSuccess();
        // The second waits outside its window, so the first completes while the second still needs the Secret.
        var closed = DateTimeOffset.UtcNow.AddHours(3);
        (await scenario.Kubectl.ApplyAsync(scenario.ImportJobYaml("later", $"""
            schedule:
              window:
                start: "{closed:HH:mm}"
                end: "{closed.AddMinutes(30):HH:mm}"
                timeZone: UTC
            """))).EnsureSuccess();
        (await scenario.Kubectl.ApplyAsync(scenario.ImportJobYaml("first"))).EnsureSuccess();
        await scenario.StartOperatorAsync();

        var first = await scenario.WaitForAsync("first", i => i.Status?.Conditions?.Any(c => c.Type == "CredentialsDeleted") == true, "the Secret decision");
        Assert.Equal(ImportJobPhase.Completed, first.Status!.Phase);
        var kept = first.Status.Conditions!.Single(c => c.Type == "CredentialsDeleted");
        Assert.Equal(("False", "SecretStillInUse"), (kept.Status, kept.Reason));
        Assert.Contains("'later'", kept.Message);
        Assert.NotNull(await scenario.Client.CoreV1.ReadNamespacedSecretAsync("grain-credentials", scenario.Namespace));
        Assert.Equal(ImportJobPhase.Waiting, (await scenario.GetAsync("later"))!.Status!.Phase);

        // The other one goes away (here: deleted); the next look at the completed one deletes the Secret.
        (await scenario.Kubectl.RunAsync("delete", "importjob", "later", "--wait=true")).EnsureSuccess();
        (await scenario.Kubectl.RunAsync("annotate", "importjob", "first", "touch=1", "--overwrite")).EnsureSuccess();
        var deleted = await scenario.WaitForAsync("first",
            i => i.Status?.Conditions?.Any(c => c.Type == "CredentialsDeleted" && c.Status == "True") == true, "the Secret deleted");
        await ImportScenario.EventuallyAsync(async () =>
            (await scenario.Client.CoreV1.ListNamespacedSecretAsync(scenario.Namespace)).Items.All(s => s.Metadata.Name != "grain-credentials"), "the Secret gone");
        Assert.Equal(ImportJobPhase.Completed, deleted.Status!.Phase);
    }

    [SkippableFact]
    public async Task ImportJobWithA253CharacterName_RunsAndCompletes()
    {
        Kubectl.SkipWhenAbsent();
        await using var scenario = await ImportScenario.StartAsync(fixture, "long-name");
        await scenario.StartOperatorAsync();
        var name = "acme-" + new string('l', 248);
        (await scenario.Kubectl.ApplyAsync(scenario.SecretYaml())).EnsureSuccess();
        (await scenario.Kubectl.ApplyAsync(scenario.ImportJobYaml(name))).EnsureSuccess();

        var done = await scenario.WaitForPhaseAsync(name, ImportJobPhase.Completed);

        Assert.Equal(scenario.Grain.Recordings.Count, done.Status!.ProcessedCalls);
        Assert.NotNull(done.Status.LastRun);
        var logs = await scenario.Kubectl.RunAsync("logs", $"job/{done.Status.LastRun}");
        Assert.Equal(0, logs.ExitCode);
    }
}
