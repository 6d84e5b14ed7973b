using System.Globalization;
using System.Text.RegularExpressions;
using CallImport.ImportJobs;
using CallImport.Testing.Fakes.Slack;
using k8s;
using k8s.Models;
using Npgsql;

namespace CallImport.Operator.Tests.EndToEnd;

/// <summary>
/// Upgrade mid-run: ImportJobs made by an older operator, its runner still running, are taken over by the current
/// build without losing or repeating a call. The older operator is the previous release's behaviour as far as the
/// resource shows it: no Slack (so no status.notifications) — its status is stripped of what the new version adds.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed partial class UpgradeTests(ControlPlaneFixture fixture)
{
    [SkippableFact]
    public async Task NewerOperator_TakesOverARunningImport_NoCallLostOrRepeated_NoSpuriousNotification()
    {
        Kubectl.SkipWhenAbsent();
        await using var slack = await SlackWebhookFake.StartAsync();
        await using var scenario = await ImportScenario.StartAsync(fixture, "upgrade", new Testing.Fakes.Grain.GrainFakeOptions { RecordingCount = 20 });
        scenario.Grain.Faults.DelayNext(10_000, TimeSpan.FromMilliseconds(200));
        var older = await scenario.StartOperatorAsync("operator-v1");
        (await scenario.Kubectl.ApplyAsync(scenario.SecretYaml())).EnsureSuccess();
        (await scenario.Kubectl.ApplyAsync($"""
            apiVersion: v1
            kind: Secret
            metadata:
              name: slack-webhook
            stringData:
              webhookUrl: {slack.WebhookUrl}
            """)).EnsureSuccess();
        (await scenario.Kubectl.ApplyAsync(scenario.ImportJobYaml("upgraded"))).EnsureSuccess();
        await scenario.WaitForAsync("upgraded", i => i.Status?.Phase == ImportJobPhase.Running && i.Status.ProcessedCalls > 0, "running with progress");

        // The older operator goes away mid-run (the Deployment's pods are replaced); its runner keeps going.
        await older.StopAsync();
        await scenario.Client.CustomObjects.PatchNamespacedCustomObjectStatusAsync(new V1Patch("""{"status":{"notifications":null}}""", V1Patch.PatchType.MergePatch),
            ImportJobResource.Group, ImportJobResource.Version, scenario.Namespace, ImportJobResource.Plural, "upgraded");
        var before = await scenario.GetAsync("upgraded");
        Assert.Equal(ImportJobPhase.Running, before!.Status!.Phase);
        Assert.Null(before.Status.Notifications);
        Assert.True(before.Status.ProcessedCalls < scenario.Grain.Recordings.Count, "the import ended before the upgrade; slow the fake down further");

        var newer = await scenario.StartOperatorAsync("operator-v2", adjust: s =>
        {
            s["Operator:SlackWebhookSecretName"] = "slack-webhook";
            s["Operator:SlackWebhookSecretNamespace"] = scenario.Namespace;
        });
        scenario.Grain.Faults.Clear();
        var done = await scenario.WaitForPhaseAsync("upgraded", ImportJobPhase.Completed);

        // Nothing lost, nothing repeated: one run, every call once, every recording fetched once.
        var count = scenario.Grain.Recordings.Count;
        Assert.Equal(count, done.Status!.ProcessedCalls);
        Assert.Equal(0, done.Status.FailedCalls);
        Assert.Equal(["upgraded-r1"], (await scenario.RunnerJobsAsync("upgraded")).Select(j => j.Metadata.Name));
        Assert.Single(done.Status.Runs!);
        Assert.Equal((count, count), ((int, int))await scenario.EngagementsAsync());
        Assert.All(scenario.Grain.Recordings, r => Assert.Equal(1, scenario.Grain.Traffic.DetailRequestsFor(r.Id)));

        // The newer operator notifies what changed under it (Completed), not the Running it found.
        await ImportScenario.EventuallyAsync(() => Task.FromResult(slack.Messages.Count > 0), "the Completed message");
        var titles = slack.Messages.Select(m => m["blocks"]![0]!["text"]!["text"]!.GetValue<string>()).ToList();
        Assert.Equal([":white_check_mark: ImportJob " + scenario.Namespace + "/upgraded is Completed"], titles);
        Assert.Equal(ImportJobPhase.Completed, done.Status.Notifications!.LastNotifiedPhase);

        // Its counters carry on from the store's totals (no reset to zero for rate() to misread).
        using var http = new HttpClient();
        var storeTotal = await DoneGrainCallsAsync();
        await ImportScenario.EventuallyAsync(async () =>
            ProcessedTotal().Match(await http.GetStringAsync(new Uri(newer.Url, "metrics"))) is { Success: true } m
                && double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) >= storeTotal,
            $"callimport_calls_processed_total{{platform=\"grain\"}}  >= {storeTotal} (the store's total)");
    }

    private async Task<long> DoneGrainCallsAsync()
    {
        await using var connection = new NpgsqlConnection(fixture.DatabaseConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT count(*) FROM import_calls c JOIN imports i ON i.import_id = c.import_id WHERE i.platform = 'grain' AND c.state = 'done'", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    [GeneratedRegex(@"callimport_calls_processed_total\{platform=""grain""\} ([0-9.e+]+)")]
    private static partial Regex ProcessedTotal();
}
