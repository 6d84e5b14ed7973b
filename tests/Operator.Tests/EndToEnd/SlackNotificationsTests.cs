using System.Text.Json;
using System.Text.Json.Nodes;
using CallImport.ImportJobs;
using CallImport.Operator.Tests.Monitoring;
using CallImport.Testing.Fakes.Slack;
using k8s;

namespace CallImport.Operator.Tests.EndToEnd;

/// <summary>
/// Slack notifications end to end: the operator on the local control plane, its webhook URL in a Secret, a local
/// webhook that answers as Slack does. Also feeds the live ImportJobs to the Argo CD health script and checks the audit Events.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class SlackNotificationsTests(ControlPlaneFixture fixture)
{
    private static string WebhookSecretYaml(string name, string url) => $"""
        apiVersion: v1
        kind: Secret
        metadata:
          name: {name}
        stringData:
          webhookUrl: {url}
        """;

    private static Action<Dictionary<string, string?>> WithSlack(ImportScenario scenario, int attempts = 6) => s =>
    {
        s["Operator:SlackWebhookSecretName"] = "slack-webhook";
        s["Operator:SlackWebhookSecretNamespace"] = scenario.Namespace;
        s["Operator:SlackMaxAttempts"] = attempts.ToString(System.Globalization.CultureInfo.InvariantCulture);
        s["Operator:SlackRetryDelay"] = "00:00:00.100";
        s["Operator:SlackMaxRetryDelay"] = "00:00:00.500";
    };

    private static string TitleOf(JsonObject message) => message["blocks"]![0]!["text"]!["text"]!.GetValue<string>();

    private static IReadOnlyList<string> TitlesAbout(SlackWebhookFake slack, string importJob) =>
        [.. slack.Messages.Select(TitleOf).Where(t => t.Contains($"/{importJob} is ", StringComparison.Ordinal))];

    private static async Task<JsonElement> RawAsync(ImportScenario scenario, string name) =>
        (JsonElement)await scenario.Client.CustomObjects.GetNamespacedCustomObjectAsync(ImportJobResource.Group, ImportJobResource.Version,
            scenario.Namespace, ImportJobResource.Plural, name);

    [SkippableFact]
    public async Task Import_PostsRunningAndCompletedOnce_NotAgainAfterARestart_HonouringOptOutAndOwnChannel()
    {
        Kubectl.SkipWhenAbsent();
        await using var slack = await SlackWebhookFake.StartAsync();
        await using var teamSlack = await SlackWebhookFake.StartAsync();
        await using var scenario = await ImportScenario.StartAsync(fixture, "slack");
        (await scenario.Kubectl.ApplyAsync(WebhookSecretYaml("slack-webhook", slack.WebhookUrl))).EnsureSuccess();
        (await scenario.Kubectl.ApplyAsync(WebhookSecretYaml("team-slack", teamSlack.WebhookUrl))).EnsureSuccess();
        (await scenario.Kubectl.ApplyAsync(scenario.SecretYaml())).EnsureSuccess();
        slack.AnswerNext(SlackWebhookAnswer.RateLimited(retryAfterSeconds: 1)); // the first message waits, then goes
        var first = await scenario.StartOperatorAsync("slack-a", adjust: WithSlack(scenario));

        var manifest = scenario.ImportJobYaml("notified", "requestedBy: jane@support\ncredentialsPolicy: Retain");
        var path = Path.Combine(fixture.Root, $"notified-{scenario.Namespace}.yaml");
        await File.WriteAllTextAsync(path, manifest);
        (await scenario.Kubectl.RunAsync("apply", "--server-side", "-f", path)).EnsureSuccess();

        await scenario.WaitForAsync("notified", i => i.Status?.Phase == ImportJobPhase.Running, "Running");
        var running = await ArgoHealthCheck.EvaluateAsync(await RawAsync(scenario, "notified"));
        var done = await scenario.WaitForPhaseAsync("notified", ImportJobPhase.Completed);
        Assert.Equal(("Healthy", $"{scenario.Grain.Recordings.Count} processed, 0 failed, 0 skipped of {scenario.Grain.Recordings.Count}"),
            await ArgoHealthCheck.EvaluateAsync(await RawAsync(scenario, "notified")));
        Assert.Equal("Progressing", running.Status);
        await ImportScenario.EventuallyAsync(() => Task.FromResult(TitlesAbout(slack, "notified").Count >= 2), "two Slack messages");
        Assert.Equal(ImportJobPhase.Completed, done.Status!.Notifications!.LastNotifiedPhase);
        Assert.NotNull(done.Status.Notifications.LastNotifiedAt);
        Assert.Equal(429, slack.Received[0].Status);

        // A new operator (restart, or another replica taking the lead) must not send them again.
        await first.StopAsync();
        await scenario.StartOperatorAsync("slack-b", adjust: WithSlack(scenario));
        (await scenario.Kubectl.ApplyAsync(scenario.ImportJobYaml("quiet", "credentialsPolicy: Retain").Replace("  name: quiet", "  name: quiet\n  annotations:\n    callimport.io/slack: \"off\"", StringComparison.Ordinal))).EnsureSuccess();
        (await scenario.Kubectl.ApplyAsync(scenario.ImportJobYaml("team", "credentialsPolicy: Retain").Replace("  name: team", "  name: team\n  annotations:\n    callimport.io/slack-webhook-secret: team-slack", StringComparison.Ordinal))).EnsureSuccess();
        var quiet = await scenario.WaitForPhaseAsync("quiet", ImportJobPhase.Completed);
        await scenario.WaitForPhaseAsync("team", ImportJobPhase.Completed);
        // The queue is first in, first out: once team's Completed is in, anything queued before it was sent too.
        await ImportScenario.EventuallyAsync(() => Task.FromResult(TitlesAbout(teamSlack, "team").Any(t => t.EndsWith("is Completed", StringComparison.Ordinal))), "team's Completed message");

        Assert.Equal(["is Running", "is Completed"], TitlesAbout(slack, "notified").Select(t => t[t.IndexOf("is ", StringComparison.Ordinal)..]));
        Assert.Empty(TitlesAbout(slack, "quiet"));
        Assert.Empty(TitlesAbout(teamSlack, "quiet"));
        Assert.Equal("OptedOut", quiet.Status!.Notifications!.Skipped);
        Assert.Empty(TitlesAbout(slack, "team"));
        Assert.Equal(["is Running", "is Completed"], TitlesAbout(teamSlack, "team").Select(t => t[t.IndexOf("is ", StringComparison.Ordinal)..]));

        var completed = slack.Messages.Single(m => TitleOf(m).EndsWith("notified is Completed", StringComparison.Ordinal)).ToJsonString();
        Assert.Contains(scenario.Customer, completed);
        Assert.Contains("grain", completed);
        Assert.Contains($"{scenario.Grain.Recordings.Count} processed, 0 failed", completed);
        Assert.Contains("jane@support", completed);
        Assert.Contains($"kubectl -n {scenario.Namespace} describe importjob notified", completed);
        Assert.DoesNotContain(scenario.Grain.ApiKey, string.Concat(slack.Received.Select(r => r.Body)));

        // Audit: who asked and with what, and when the credentials were handed to a runner.
        var described = (await scenario.Kubectl.RunAsync("describe", "importjob", "notified")).EnsureSuccess().Stdout;
        Assert.Contains("ImportAccepted", described);
        Assert.Contains("requested by jane@support, created with kubectl (Apply)", described);
        Assert.Contains("CredentialsRead", described);
        Assert.DoesNotContain(scenario.Grain.ApiKey, described);
    }

    [SkippableFact]
    public async Task WebhookDown_ImportStillCompletes_AndAWarningEventSaysSo()
    {
        Kubectl.SkipWhenAbsent();
        await using var slack = await SlackWebhookFake.StartAsync();
        slack.Down = true;
        await using var scenario = await ImportScenario.StartAsync(fixture, "slack-down");
        (await scenario.Kubectl.ApplyAsync(WebhookSecretYaml("slack-webhook", slack.WebhookUrl))).EnsureSuccess();
        (await scenario.Kubectl.ApplyAsync(scenario.SecretYaml())).EnsureSuccess();
        await scenario.StartOperatorAsync(adjust: WithSlack(scenario, attempts: 2));
        (await scenario.Kubectl.ApplyAsync(scenario.ImportJobYaml("unheard"))).EnsureSuccess();

        var done = await scenario.WaitForPhaseAsync("unheard", ImportJobPhase.Completed);

        Assert.Equal(scenario.Grain.Recordings.Count, done.Status!.ProcessedCalls);
        await ImportScenario.EventuallyAsync(async () =>
            (await scenario.Client.CoreV1.ListNamespacedEventAsync(scenario.Namespace)).Items.Any(e => e.Reason == "SlackNotificationFailed"),
            "a SlackNotificationFailed event");
        Assert.Empty(slack.Messages);
        Assert.All(slack.Received, r => Assert.Equal(500, r.Status));
    }

    [SkippableFact]
    public async Task MissingCredentialsSecret_PostsStalledWithWhatToDo_AndArgoSeesDegraded()
    {
        Kubectl.SkipWhenAbsent();
        await using var slack = await SlackWebhookFake.StartAsync();
        await using var scenario = await ImportScenario.StartAsync(fixture, "slack-stalled");
        (await scenario.Kubectl.ApplyAsync(WebhookSecretYaml("slack-webhook", slack.WebhookUrl))).EnsureSuccess();
        await scenario.StartOperatorAsync(adjust: WithSlack(scenario));
        (await scenario.Kubectl.ApplyAsync(scenario.ImportJobYaml("stuck", secret: "not-there"))).EnsureSuccess();

        var stalled = await scenario.WaitForAsync("stuck", i => i.Status?.Conditions?.Any(c => c.Type == "Stalled" && c.Status == "True") == true, "Stalled");
        await ImportScenario.EventuallyAsync(() => Task.FromResult(TitlesAbout(slack, "stuck").Count > 0), "the Stalled message");

        var condition = stalled.Status!.Conditions!.Single(c => c.Type == "Stalled");
        var message = Assert.Single(slack.Messages).ToJsonString();
        Assert.Contains("stuck is Stalled", message);
        Assert.Contains(JsonEncodedText.Encode(condition.Message).Value, message);
        var (health, why) = await ArgoHealthCheck.EvaluateAsync(await RawAsync(scenario, "stuck"));
        Assert.Equal("Degraded", health);
        Assert.StartsWith("SecretNotFound: ", why);
    }
}
