using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace CallImport.ImportRunner.Tests.Limits;

/// <summary>A real HTTP server on loopback answering each request with the next scripted reply.</summary>
public sealed class ScriptedServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<Func<HttpContext, Task>> _replies = new();
    private readonly ConcurrentQueue<DateTimeOffset> _arrivals = new();
    private int _requests;

    private ScriptedServer(WebApplication app) => _app = app;

    /// <summary>When each request arrived, on the clock given at the start (the system's by default).</summary>
    public IReadOnlyList<DateTimeOffset> Arrivals => [.. _arrivals];

    public Uri Url { get; private set; } = null!;
    public int Requests => Volatile.Read(ref _requests);

    public static async Task<ScriptedServer> StartAsync(TimeProvider? clock = null)
    {
        clock ??= TimeProvider.System;
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new ScriptedServer(app);
        app.Run(async context =>
        {
            server._arrivals.Enqueue(clock.GetUtcNow());
            Interlocked.Increment(ref server._requests);
            if (server._replies.TryDequeue(out var reply)) await reply(context);
            else await context.Response.WriteAsync("""{"ok":true}""");
        });
        await app.StartAsync();
        server.Url = new Uri(app.Urls.First());
        return server;
    }

    public ScriptedServer Then(int status, string? retryAfter = null, TimeSpan? delay = null)
    {
        _replies.Enqueue(async context =>
        {
            if (delay is { } d) await Task.Delay(d, context.RequestAborted);
            context.Response.StatusCode = status;
            if (retryAfter is not null) context.Response.Headers.RetryAfter = retryAfter;
            await context.Response.WriteAsync("{}");
        });
        return this;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
