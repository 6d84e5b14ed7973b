using CallImport.ImportJobs;
using CallImport.Operator.ApiServer;
using CallImport.Operator.Notifications;
using CallImport.Operator.Tests.EndToEnd;
using CallImport.Testing.Fakes.Slack;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;

namespace CallImport.Operator.Tests.Notifications;

/// <summary>The sender against a local webhook that answers as Slack does; the webhook URL in a Secret on the local control plane.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class SlackNotifierTests(ControlPlaneFixture fixture) : IAsyncLifetime
{
    private readonly string _namespace = $"slack-{Guid.NewGuid().ToString("N")[..6]}";
    private readonly RecordingLogger<SlackNotifier> _log = new();
    private SlackWebhookFake _slack = null!;

    public async Task InitializeAsync()
    {
        _slack = await SlackWebhookFake.StartAsync();
        await fixture.Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = _namespace } });
        await fixture.Client.CoreV1.CreateNamespacedSecretAsync(new V1Secret
        {
            Metadata = new V1ObjectMeta { Name = "slack-webhook" },
            StringData = new Dictionary<string, string> { ["webhookUrl"] = _slack.WebhookUrl },
        }, _namespace);
    }

    public async Task DisposeAsync() => await _slack.DisposeAsync();

    private SlackNotifier CreateSut(int maxAttempts = 4) => new(fixture.Client, new EventRecorder(fixture.Client, TimeProvider.System, NullLogger<EventRecorder>.Instance),
        new OperatorSettings { SlackMaxAttempts = maxAttempts, SlackRetryDelay = TimeSpan.FromMilliseconds(50), SlackMaxRetryDelay = TimeSpan.FromMilliseconds(200) },
        TimeProvider.System, _log);

    private SlackDelivery Delivery(string secret = "slack-webhook")
    {
        var job = new ImportJob
        {
            Metadata = new ObjectMeta { Name = "acme-grain", Namespace = _namespace, Uid = Guid.NewGuid().ToString() },
            Spec = new ImportJobSpec { CustomerId = "acme", Platform = "grain", CredentialsSecretRef = new SecretReference { Name = "grain-credentials" } },
        };
        var status = new ImportJobStatus { Phase = ImportJobPhase.Completed, TotalCalls = 3, ProcessedCalls = 3, FailedCalls = 0 };
        return new SlackDelivery(job, ImportJobPhase.Completed, new SlackChannel(_namespace, secret), SlackMessage.Build(job, status, DateTimeOffset.UtcNow));
    }

    private string WebhookSecretPart => _slack.WebhookUrl[(_slack.WebhookUrl.LastIndexOf('/') + 1)..];

    private async Task<IList<Corev1Event>> EventsAsync(string reason) =>
        [.. (await fixture.Client.CoreV1.ListNamespacedEventAsync(_namespace)).Items.Where(e => e.Reason == reason)];

    [Fact]
    public async Task Send_SlackAnswersOk_PostsTheBlockKitMessageOnce()
    {
        using var sut = CreateSut();

        Assert.True(await sut.SendAsync(Delivery(), CancellationToken.None));

        var message = Assert.Single(_slack.Messages);
        Assert.Equal("header", message["blocks"]![0]!["type"]!.GetValue<string>());
        Assert.Contains("3 processed", message["text"]!.GetValue<string>());
        Assert.Single(_slack.Received);
    }

    [Fact]
    public async Task Send_RateLimitedWithRetryAfter_WaitsAtLeastThatLongThenDelivers()
    {
        _slack.AnswerNext(SlackWebhookAnswer.RateLimited(retryAfterSeconds: 1));
        using var sut = CreateSut();

        Assert.True(await sut.SendAsync(Delivery(), CancellationToken.None));

        var received = _slack.Received;
        Assert.Equal([429, 200], received.Select(r => r.Status));
        // A lower bound only: Retry-After (1 s) is far above our own backoff here (50 ms).
        Assert.True(received[1].At - received[0].At >= TimeSpan.FromSeconds(0.95), $"retried after {received[1].At - received[0].At}");
        Assert.Single(_slack.Messages);
    }

    [Fact]
    public async Task Send_ServerErrorsThenOk_RetriesAndDeliversOnce()
    {
        _slack.AnswerNext(SlackWebhookAnswer.ServerError);
        _slack.AnswerNext(new SlackWebhookAnswer(500, "rollup_error"));
        using var sut = CreateSut();

        Assert.True(await sut.SendAsync(Delivery(), CancellationToken.None));

        Assert.Equal([503, 500, 200], _slack.Received.Select(r => r.Status));
        Assert.Single(_slack.Messages);
    }

    public static TheoryData<int, string> FinalAnswers => new()
    {
        { 400, "invalid_payload" },
        { 403, "action_prohibited" },
        { 404, "no_service" },
        { 410, "channel_is_archived" },
    };

    [Theory]
    [MemberData(nameof(FinalAnswers))]
    public async Task Send_FinalError_GivesUpAtOnce_WithAWarningEventThatNamesTheSecretNotTheUrl(int status, string body)
    {
        _slack.AnswerNext(new SlackWebhookAnswer(status, body));
        using var sut = CreateSut();

        Assert.False(await sut.SendAsync(Delivery(), CancellationToken.None));

        Assert.Single(_slack.Received);
        var failed = Assert.Single(await EventsAsync("SlackNotificationFailed"));
        Assert.Equal("Warning", failed.Type);
        Assert.Contains($"HTTP {status} {body}", failed.Message);
        Assert.Contains($"Secret {_namespace}/slack-webhook", failed.Message);
        Assert.DoesNotContain(WebhookSecretPart, failed.Message);
        Assert.DoesNotContain(WebhookSecretPart, _log.AllText);
    }

    [Fact]
    public async Task Send_WebhookDown_GivesUpAfterMaxAttempts()
    {
        _slack.Down = true;
        using var sut = CreateSut(maxAttempts: 3);

        Assert.False(await sut.SendAsync(Delivery(), CancellationToken.None));

        Assert.Equal([500, 500, 500], _slack.Received.Select(r => r.Status));
        Assert.Single(await EventsAsync("SlackNotificationFailed"));
        Assert.DoesNotContain(WebhookSecretPart, _log.AllText);
    }

    [Fact]
    public async Task Send_SecretMissing_GivesUpWithoutPosting()
    {
        using var sut = CreateSut();

        Assert.False(await sut.SendAsync(Delivery(secret: "no-such-secret"), CancellationToken.None));

        Assert.Empty(_slack.Received);
        Assert.Contains("no-such-secret could not be read (HTTP 404)", Assert.Single(await EventsAsync("SlackNotificationFailed")).Message);
    }

    [Fact]
    public async Task Enqueue_WhileSlackIsSlow_ReturnsAtOnce_AndTheBackgroundSenderDeliversInOrder()
    {
        _slack.AnswerNext(SlackWebhookAnswer.RateLimited(retryAfterSeconds: 1));
        using var sut = CreateSut();
        await sut.StartAsync(CancellationToken.None);
        try
        {
            var first = Delivery();
            var second = Delivery() with { Transition = "Second" };
            second.Payload["text"] = "second";
            sut.Enqueue(first);
            sut.Enqueue(second);

            await ImportScenario.EventuallyAsync(() => Task.FromResult(_slack.Messages.Count == 2), "both messages delivered");
            Assert.Equal("second", _slack.Messages[1]["text"]!.GetValue<string>());
        }
        finally
        {
            await sut.StopAsync(CancellationToken.None);
        }
    }
}
