using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace CallImport.ImportRunner.Tests.Platforms.Auth;

/// <summary>
/// A small OAuth server and API on loopback, as RingCentral-style vendors behave: <c>POST /token</c> issues a
/// short-lived access token and a SINGLE-USE refresh token (a used one is refused with 400 invalid_grant),
/// <c>GET /api</c> answers 401 to any token but the newest.
/// </summary>
public sealed class TokenServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, bool> _refreshTokens = new();
    private string _current = "";
    private int _issued;

    private TokenServer(WebApplication app) => _app = app;

    public Uri Url { get; private set; } = null!;
    public int Grants => Volatile.Read(ref _grants);
    public int Refreshes => Volatile.Read(ref _refreshes);
    public int RefusedRefreshes => Volatile.Read(ref _refusedRefreshes);
    public int ApiRequests => Volatile.Read(ref _apiRequests);
    private int _grants, _refreshes, _refusedRefreshes, _apiRequests;

    /// <summary>Invalidates the current access token (the vendor revoked or expired it early).</summary>
    public void ExpireCurrentToken() => Volatile.Write(ref _current, "expired");

    public static async Task<TokenServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new TokenServer(app);
        app.MapPost("/token", async context =>
        {
            var form = await context.Request.ReadFormAsync();
            if (form["grant_type"] == "refresh_token")
            {
                if (!server._refreshTokens.TryRemove(form["refresh_token"].ToString(), out _))
                {
                    Interlocked.Increment(ref server._refusedRefreshes);
                    context.Response.StatusCode = 400;
                    await context.Response.WriteAsync("""{"error":"invalid_grant"}""");
                    return;
                }
                Interlocked.Increment(ref server._refreshes);
            }
            else if (form["client_secret"] != "s3cret")
            {
                context.Response.StatusCode = 401;
                await context.Response.WriteAsync("""{"error":"invalid_client"}""");
                return;
            }
            else
            {
                Interlocked.Increment(ref server._grants);
            }
            var n = Interlocked.Increment(ref server._issued);
            var access = $"access-{n}";
            var refresh = $"refresh-{n}";
            server._refreshTokens[refresh] = true;
            Volatile.Write(ref server._current, access);
            await context.Response.WriteAsJsonAsync(new { access_token = access, refresh_token = refresh, expires_in = 3600 });
        });
        app.MapGet("/api", async context =>
        {
            Interlocked.Increment(ref server._apiRequests);
            if (context.Request.Headers.Authorization != $"Bearer {Volatile.Read(ref server._current)}")
            {
                context.Response.StatusCode = (int)HttpStatusCode.Unauthorized;
                return;
            }
            await context.Response.WriteAsync("""{"ok":true}""");
        });
        await app.StartAsync();
        server.Url = new Uri(app.Urls.First());
        return server;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}

/// <summary>The vendor side of a refresh-token grant, as a platform's own ITokenSource would be written.</summary>
internal sealed class TokenServerSource(HttpClient http, Uri server, TimeProvider time, string secret = "s3cret") : ImportRunner.Platforms.Auth.ITokenSource
{
    public Task<ImportRunner.Platforms.Auth.AccessToken> RequestAsync(CancellationToken cancellationToken) =>
        PostAsync(new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["client_secret"] = secret }, cancellationToken)!;

    public async Task<ImportRunner.Platforms.Auth.AccessToken?> RefreshAsync(ImportRunner.Platforms.Auth.AccessToken current, CancellationToken cancellationToken)
    {
        try
        {
            return await PostAsync(new Dictionary<string, string> { ["grant_type"] = "refresh_token", ["refresh_token"] = current.RefreshToken! }, cancellationToken);
        }
        catch (ImportRunner.Platforms.CredentialsRejectedException)
        {
            return null;
        }
    }

    private async Task<ImportRunner.Platforms.Auth.AccessToken> PostAsync(Dictionary<string, string> form, CancellationToken cancellationToken)
    {
        using var request = ImportRunner.Platforms.Auth.TokenRequests.Prepare(new HttpRequestMessage(HttpMethod.Post, new Uri(server, "/token")) { Content = new FormUrlEncodedContent(form) });
        using var response = await http.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
            throw new ImportRunner.Platforms.CredentialsRejectedException($"The token endpoint refused the grant (HTTP {(int)response.StatusCode}).");
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
        return new ImportRunner.Platforms.Auth.AccessToken(body.GetProperty("access_token").GetString()!,
            time.GetUtcNow().AddSeconds(body.GetProperty("expires_in").GetInt32()), body.GetProperty("refresh_token").GetString());
    }
}
