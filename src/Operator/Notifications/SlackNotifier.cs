using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Threading.Channels;
using CallImport.Operator.ApiServer;
using CallImport.Operator.Reconciliation;
using k8s;
using k8s.Autorest;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;
using Polly.Timeout;
using Prometheus;

namespace CallImport.Operator.Notifications;

/// <summary>
/// Posts queued Slack messages in the background, one at a time, so a reconcile never waits for Slack: <see cref="Enqueue"/>
/// returns at once (a full queue drops its oldest message). 429 and 5xx are retried with backoff, honouring
/// Retry-After; a message given up is logged and becomes a Warning Event on its ImportJob. The import never depends on it.
/// The webhook URL is read from its Secret when sending and never logged.
/// </summary>
internal sealed class SlackNotifier : BackgroundService
{
    private static readonly Counter Notifications = Prometheus.Metrics.CreateCounter(
        "callimport_slack_notifications_total", "Slack messages by result: sent, failed (given up), dropped (queue full).", "result");

    private readonly Channel<SlackDelivery> _queue;
    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;
    private readonly HttpClient _http = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = Timeout.InfiniteTimeSpan };
    private readonly IKubernetes _client;
    private readonly EventRecorder _events;
    private readonly OperatorSettings _settings;
    private readonly ILogger<SlackNotifier> _logger;

    public SlackNotifier(IKubernetes client, EventRecorder events, OperatorSettings settings, TimeProvider time, ILogger<SlackNotifier> logger)
    {
        (_client, _events, _settings, _logger) = (client, events, settings, logger);
        _queue = Channel.CreateBounded<SlackDelivery>(
            new BoundedChannelOptions(settings.SlackQueueCapacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
            dropped =>
            {
                Notifications.WithLabels("dropped").Inc();
                logger.LogWarning("Slack queue full: dropped the {Transition} message of {Namespace}/{ImportJob}",
                    dropped.Transition, dropped.ImportJob.Metadata.Namespace, dropped.ImportJob.Metadata.Name);
            });
        _pipeline = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = Math.Max(0, settings.SlackMaxAttempts - 1),
                ShouldHandle = new PredicateBuilder<HttpResponseMessage>()
                    .Handle<HttpRequestException>()
                    .Handle<TimeoutRejectedException>()
                    .HandleResult(r => SlackRetryPolicy.IsTransient(r.StatusCode)),
                DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(SlackRetryPolicy.Delay(
                    args.AttemptNumber, args.Outcome.Result?.Headers.RetryAfter, time.GetUtcNow(), settings.SlackRetryDelay, settings.SlackMaxRetryDelay)),
                OnRetry = args =>
                {
                    logger.LogInformation("Slack answered {Status}; retry {Attempt} in {Delay}",
                        args.Outcome.Result is { } r ? (int)r.StatusCode : args.Outcome.Exception?.GetType().Name, args.AttemptNumber + 1, args.RetryDelay);
                    return default;
                },
            })
            .AddTimeout(settings.SlackRequestTimeout)
            .Build();
    }

    /// <summary>Queues a message; never waits.</summary>
    public void Enqueue(SlackDelivery delivery) => _queue.Writer.TryWrite(delivery);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var delivery in _queue.Reader.ReadAllAsync(stoppingToken))
                await SendAsync(delivery, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Posts one message with retries; true when Slack took it.</summary>
    public async Task<bool> SendAsync(SlackDelivery delivery, CancellationToken cancellationToken)
    {
        var meta = delivery.ImportJob.Metadata;
        var url = await WebhookUrlAsync(delivery.Channel, cancellationToken);
        if (url.Error is { } unusable)
            return await GiveUpAsync(delivery, unusable, cancellationToken);
        try
        {
            using var response = await _pipeline.ExecuteAsync(async token =>
                await _http.PostAsync(url.Uri, JsonContent.Create(delivery.Payload), token), cancellationToken);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                Notifications.WithLabels("sent").Inc();
                _logger.LogInformation("Slack: sent {Transition} of {Namespace}/{ImportJob} to {Channel}", delivery.Transition, meta.Namespace, meta.Name, delivery.Channel);
                return true;
            }
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            return await GiveUpAsync(delivery, $"Slack answered HTTP {(int)response.StatusCode} {Short(body)}", cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutRejectedException)
        {
            // The message of HttpRequestException may carry the host, never the path (the webhook's secret part).
            return await GiveUpAsync(delivery, $"Slack could not be reached ({e.GetType().Name})", cancellationToken);
        }
    }

    private async Task<bool> GiveUpAsync(SlackDelivery delivery, string why, CancellationToken cancellationToken)
    {
        var meta = delivery.ImportJob.Metadata;
        Notifications.WithLabels("failed").Inc();
        _logger.LogWarning("Slack: gave up the {Transition} message of {Namespace}/{ImportJob} to {Channel}: {Reason}",
            delivery.Transition, meta.Namespace, meta.Name, delivery.Channel, why);
        await _events.RecordAsync(delivery.ImportJob, EventTypes.Warning, "SlackNotificationFailed",
            $"The Slack message for {delivery.Transition} was not sent ({why}); check the webhook in {delivery.Channel}.", cancellationToken);
        return false;
    }

    private async Task<(Uri Uri, string? Error)> WebhookUrlAsync(SlackChannel channel, CancellationToken cancellationToken)
    {
        try
        {
            var secret = await _client.CoreV1.ReadNamespacedSecretAsync(channel.SecretName, channel.SecretNamespace, cancellationToken: cancellationToken);
            var key = _settings.SlackWebhookSecretKey;
            var value = secret.Data?.TryGetValue(key, out var bytes) == true ? Encoding.UTF8.GetString(bytes).Trim()
                : secret.StringData is { } text && text.TryGetValue(key, out var s) ? s.Trim() : null;
            if (string.IsNullOrEmpty(value))
                return (null!, $"{channel} has no key '{key}'");
            if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http"))
                return (null!, $"the value of '{key}' in {channel} is not an http(s) URL");
            return (uri, null);
        }
        catch (HttpOperationException e)
        {
            return (null!, $"{channel} could not be read (HTTP {(int)e.Response.StatusCode})");
        }
    }

    private static string Short(string body) => body.Length <= 100 ? body : body[..100];

    public override void Dispose()
    {
        _http.Dispose();
        base.Dispose();
    }
}
