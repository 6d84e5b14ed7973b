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
    private int _requests;

    private ScriptedServer(WebApplication app) => _app = app;

    public Uri Url { get; private set; } = null!;
    public int Requests => Volatile.Read(ref _requests);

    public static async Task<ScriptedServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new ScriptedServer(app);
        app.Run(async context =>
        {
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
