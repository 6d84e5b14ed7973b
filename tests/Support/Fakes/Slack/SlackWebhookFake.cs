using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace CallImport.Testing.Fakes.Slack;

/// <summary>
/// A local Slack incoming webhook on 127.0.0.1, as Slack documents it: <c>POST /services/{team}/{bot}/{secret}</c> with a
/// JSON body answers 200 <c>ok</c> (text/plain); a body that is not JSON 400 <c>invalid_payload</c>; JSON without
/// <c>text</c> or <c>blocks</c> 400 <c>no_text</c>; an unknown webhook path 404 <c>no_service</c>. Queued
/// <see cref="SlackWebhookAnswer"/>s make it answer otherwise (429 with Retry-After, 5xx, 403, 410), next request first.
/// Every request is recorded in <see cref="Received"/>, accepted messages in <see cref="Messages"/>.
/// </summary>
public sealed class SlackWebhookFake : IAsyncDisposable
{
    private readonly ConcurrentQueue<SlackWebhookAnswer> _answers = new();
    private readonly ConcurrentQueue<SlackWebhookRequest> _received = new();
    private readonly string _path = $"/services/T{Guid.NewGuid().ToString("N")[..8].ToUpperInvariant()}/B{Guid.NewGuid().ToString("N")[..8].ToUpperInvariant()}/{Guid.NewGuid():N}";
    private WebApplication? _app;

    /// <summary>The webhook URL to put in the Secret (its last segment is the secret part).</summary>
    public string WebhookUrl { get; private set; } = "";

    /// <summary>Every POST, answered or not, in arrival order.</summary>
    public IReadOnlyList<SlackWebhookRequest> Received => [.. _received];

    /// <summary>The messages Slack would have posted (answered 200).</summary>
    public IReadOnlyList<JsonObject> Messages => [.. _received.Where(r => r.Status == 200).Select(r => r.Payload!)];

    /// <summary>While true, every request is answered 500 (a webhook down for good).</summary>
    public bool Down { get; set; }

    /// <summary>Queues an answer for the next request that reaches a valid webhook path.</summary>
    public void AnswerNext(SlackWebhookAnswer answer) => _answers.Enqueue(answer);

    public static async Task<SlackWebhookFake> StartAsync()
    {
        var fake = new SlackWebhookFake();
        var (app, addresses) = await LoopbackHost.StartAsync(fake.HandleAsync, CancellationToken.None, 0);
        fake._app = app;
        fake.WebhookUrl = addresses[0] + fake._path;
        return fake;
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        var payload = Parse(body);
        var (status, text, retryAfter) = Answer(context.Request, payload);
        _received.Enqueue(new SlackWebhookRequest(context.Request.Path, body, status == 200 ? payload : null, status, DateTimeOffset.UtcNow));
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain";
        if (retryAfter is { } seconds)
            context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await context.Response.WriteAsync(text, context.RequestAborted);
    }

    private (int Status, string Text, int? RetryAfter) Answer(HttpRequest request, JsonObject? payload)
    {
        if (request.Method != HttpMethods.Post || request.Path != _path)
            return (404, "no_service", null);
        if (Down)
            return (500, "rollup_error", null);
        if (_answers.TryDequeue(out var answer))
            return (answer.Status, answer.Body, answer.RetryAfterSeconds);
        if (payload is null)
            return (400, "invalid_payload", null);
        if (payload["text"] is null && payload["blocks"] is null)
            return (400, "no_text", null);
        return (200, "ok", null);
    }

    private static JsonObject? Parse(string body)
    {
        try
        {
            return JsonNode.Parse(body) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}

/// <summary>One request the fake received: the path, the raw body, the payload when accepted, the status it answered, when.</summary>
public sealed record SlackWebhookRequest(string Path, string Body, JsonObject? Payload, int Status, DateTimeOffset At);

/// <summary>An answer to give instead of the normal one.</summary>
public sealed record SlackWebhookAnswer(int Status, string Body, int? RetryAfterSeconds = null)
{
    public static SlackWebhookAnswer RateLimited(int retryAfterSeconds) => new(429, "rate_limited", retryAfterSeconds);
    public static SlackWebhookAnswer ServerError => new(503, "service_unavailable");
    public static SlackWebhookAnswer InvalidPayload => new(400, "invalid_payload");
    public static SlackWebhookAnswer NoService => new(404, "no_service");
    public static SlackWebhookAnswer ActionProhibited => new(403, "action_prohibited");
}
