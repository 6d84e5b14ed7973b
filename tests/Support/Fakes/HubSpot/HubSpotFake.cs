using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace CallImport.Testing.Fakes.HubSpot;

/// <summary>
/// A local HubSpot CRM API on 127.0.0.1, over real HTTP, as HubSpot's documentation describes it: Bearer tokens
/// (a private app's <c>pat-…</c> token, or OAuth access tokens that expire and are renewed at
/// <c>POST /oauth/v1/token</c>); <c>POST /crm/v3/objects/calls/search</c> (filterGroups, one sort, limit ≤ 200,
/// <c>paging.next.after</c>, at most 10,000 results per query: HTTP 400 beyond); batch reads of calls and contacts
/// (≤ 100 inputs); v4 call→contact associations; owners (deactivated ones only with <c>archived=true</c>); the
/// calling-transcripts API, which refuses private-app tokens (403 MISSING_SCOPES). Errors are
/// <c>{status, message, correlationId, category}</c>; when asked, 100 requests per 10 s and 5 searches a second,
/// answered 429 with <c>errorType: RATE_LIMIT</c> and no Retry-After. Recordings are served by a second listener
/// standing in for the calling provider; some want the provider's own auth (401).
/// </summary>
public sealed partial class HubSpotFake : IAsyncDisposable
{
    public static readonly FakeLimit Overall = new("overall", 100, TimeSpan.FromSeconds(10));
    public static readonly FakeLimit Search = new("search", 5, TimeSpan.FromSeconds(1));
    public const int ResultCap = 10_000;

    private readonly HubSpotFakeOptions _options;
    private readonly Dictionary<long, HubSpotFakeCall> _byId;
    private readonly Random _faults;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Queue<DateTimeOffset>> _windows = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _oauthTokens = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private WebApplication? _app;
    private int _correlation;

    private HubSpotFake(HubSpotFakeOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxPageSize, 1);
        _options = options;
        var random = new Random(options.Seed);
        Calls = HubSpotFakeSeed.Calls(options, random);
        _byId = Calls.ToDictionary(c => c.Id);
        Malformed = Calls.OrderBy(_ => random.Next()).Take(options.MalformedCalls).Select(c => c.Id).ToHashSet();
        _faults = new Random(options.Seed + 7919);
        PrivateAppToken = "pat-na1-" + Guid.NewGuid().ToString("D");
        RefreshToken = "hubspot-fake-refresh-" + Guid.NewGuid().ToString("N");
        ClientSecret = "hubspot-fake-secret-" + Guid.NewGuid().ToString("N")[..16];
        FirstOAuthToken = IssueToken();
    }

    public IReadOnlyList<HubSpotFakeCall> Calls { get; }
    public IReadOnlySet<long> Malformed { get; }
    public string PrivateAppToken { get; }
    public string FirstOAuthToken { get; }
    public string RefreshToken { get; }
    public string ClientId { get; } = "hubspot-fake-client";
    public string ClientSecret { get; }
    public string BaseUrl { get; private set; } = "";
    /// <summary>Where the calling provider serves recordings (another origin than the API).</summary>
    public string ProviderUrl { get; private set; } = "";
    public FakeTrafficLog Log { get; } = new();
    public int TokensIssued { get; private set; }
    /// <summary>True once a request to the calling provider carried an Authorization header (answered 400).</summary>
    public bool LeakedAuthorization { get; private set; }

    /// <summary>A private app's token: never expires, cannot read transcripts.</summary>
    public IReadOnlyDictionary<string, string> PrivateAppCredentials => new Dictionary<string, string> { ["accessToken"] = PrivateAppToken, ["baseUrl"] = BaseUrl };

    /// <summary>An OAuth token with what renews it.</summary>
    public IReadOnlyDictionary<string, string> OAuthCredentials => new Dictionary<string, string>
    {
        ["accessToken"] = FirstOAuthToken, ["refreshToken"] = RefreshToken, ["clientId"] = ClientId, ["clientSecret"] = ClientSecret, ["baseUrl"] = BaseUrl,
    };

    /// <summary>
    /// Only what HubSpot's refresh grant needs (client_id, client_secret, refresh_token): no access token, as a
    /// Secret for a long import holds (one written into it would have expired by the time a run starts).
    /// </summary>
    public IReadOnlyDictionary<string, string> RefreshOnlyCredentials => new Dictionary<string, string>
    {
        ["refreshToken"] = RefreshToken, ["clientId"] = ClientId, ["clientSecret"] = ClientSecret, ["baseUrl"] = BaseUrl,
    };

    /// <summary>Every secret the fake handed out, to check that none leaks into output.</summary>
    public IReadOnlyList<string> Secrets
    {
        get { lock (_lock) return [PrivateAppToken, RefreshToken, ClientSecret, .. _oauthTokens.Keys]; }
    }

    public static string CredentialsJson(IReadOnlyDictionary<string, string> credentials) => JsonSerializer.Serialize(credentials);

    public static async Task<HubSpotFake> StartAsync(HubSpotFakeOptions? options = null, CancellationToken cancellationToken = default)
    {
        var fake = new HubSpotFake(options ?? new HubSpotFakeOptions());
        var (app, addresses) = await LoopbackHost.StartAsync(fake.HandleAsync, cancellationToken, fake._options.Port, 0);
        fake._app = app;
        fake.BaseUrl = addresses[0] + "/";
        fake.ProviderUrl = addresses[1];
        return fake;
    }

    private bool IsProvider(HttpContext context) => context.Request.Host.Port is { } port && ProviderUrl.EndsWith(":" + port.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);

    private async Task HandleAsync(HttpContext context)
    {
        var arrived = _options.Time.GetUtcNow();
        var path = context.Request.Path.Value ?? "";
        if (IsProvider(context))
        {
            await ProviderAsync(context, path);
            Log.Add(new FakeRequest(arrived, context.Request.Method, "provider" + path, context.Response.StatusCode, "provider"));
            return;
        }
        var group = path == "/oauth/v1/token" ? "oauth" : context.Request.Method == "POST" && path.EndsWith("/search", StringComparison.Ordinal) ? Search.Group : Overall.Group;
        await AnswerAsync(context, path, arrived, group);
        Log.Add(new FakeRequest(arrived, context.Request.Method, path.TrimStart('/'), context.Response.StatusCode, group));
    }

    private async Task AnswerAsync(HttpContext context, string path, DateTimeOffset arrived, string group)
    {
        double stallDraw, errorDraw;
        lock (_lock) (stallDraw, errorDraw) = (_faults.NextDouble(), _faults.NextDouble());
        if (stallDraw < _options.StallFraction)
        {
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token);
            try { await Task.Delay(_options.StallFor, _options.Time, wait.Token); }
            catch (OperationCanceledException) { return; }
        }
        if (group == "oauth")
        {
            await TokenAsync(context);
            return;
        }
        if (_options.EnforceLimits)
        {
            var overall = Admit(Overall, arrived);
            if (!overall || (group == Search.Group && !Admit(Search, arrived)))
            {
                // HubSpot's 429 carries the policy in the body and no Retry-After.
                await JsonAsync(context, 429, new JsonObject
                {
                    ["status"] = "error",
                    ["message"] = overall ? "You have reached your secondly limit." : "You have reached your ten_secondly_rolling limit.",
                    ["errorType"] = "RATE_LIMIT",
                    ["correlationId"] = CorrelationId(),
                    ["policyName"] = overall ? "SECONDLY" : "TEN_SECONDLY_ROLLING",
                });
                return;
            }
        }
        if (errorDraw < _options.ServerErrorFraction)
        {
            await ErrorAsync(context, 500, "An internal error occurred.", "INTERNAL_ERROR");
            return;
        }
        var token = Bearer(context);
        if (token is null || (token != PrivateAppToken && !IsLiveOAuth(token, arrived)))
        {
            var isExpired = token is not null && IsKnownOAuth(token);
            await ErrorAsync(context, 401, isExpired ? "The OAuth token used to make this call expired." : "Authentication credentials not found.",
                isExpired ? "EXPIRED_AUTHENTICATION" : "INVALID_AUTHENTICATION");
            return;
        }
        await RouteAsync(context, path, token == PrivateAppToken);
    }

    private async Task RouteAsync(HttpContext context, string path, bool privateApp)
    {
        var method = context.Request.Method;
        var segments = path.Trim('/').Split('/');
        switch (segments)
        {
            case ["crm", "v3", "objects", "calls", "search"] when method == "POST":
                await SearchAsync(context);
                return;
            case ["crm", "v3", "objects", "calls", "batch", "read"] when method == "POST":
                await BatchReadCallsAsync(context);
                return;
            case ["crm", "v3", "objects", "contacts", "batch", "read"] when method == "POST":
                await BatchReadContactsAsync(context);
                return;
            case ["crm", "v4", "associations", "calls", "contacts", "batch", "read"] when method == "POST":
                await AssociationsAsync(context);
                return;
            case ["crm", "v3", "owners"] or ["crm", "v3", "owners", ""] when method == "GET":
                await OwnersAsync(context);
                return;
            case ["crm", "v3", "owners", var ownerId] when method == "GET":
                await OwnerAsync(context, ownerId);
                return;
            case ["crm", "v3", "extensions", "calling", "transcripts", var transcriptId] when method == "GET":
                if (privateApp)
                {
                    await ErrorAsync(context, 403, "This app hasn't been granted all required scopes to make this call.", "MISSING_SCOPES");
                    return;
                }
                await TranscriptAsync(context, transcriptId);
                return;
            default:
                await ErrorAsync(context, 404, "Resource not found", "OBJECT_NOT_FOUND");
                return;
        }
    }

    private async Task ProviderAsync(HttpContext context, string path)
    {
        if (context.Request.Headers.ContainsKey("Authorization"))
        {
            // A HubSpot token sent to the provider is a leak of the customer's credentials to a third party.
            context.Response.StatusCode = 400;
            LeakedAuthorization = true;
            return;
        }
        var file = path.StartsWith("/recordings/", StringComparison.Ordinal) ? path["/recordings/".Length..] : "";
        if (!file.EndsWith(".mp3", StringComparison.Ordinal) || !long.TryParse(file[..^4], CultureInfo.InvariantCulture, out var id)
            || !_byId.TryGetValue(id, out var call) || call.Recording() is not { } bytes)
        {
            context.Response.StatusCode = 404;
            return;
        }
        if (call.RecordingNeedsProviderAuth)
        {
            // The provider's own API key or session: the import has neither.
            context.Response.StatusCode = 401;
            context.Response.Headers.WWWAuthenticate = "Bearer realm=\"calling-provider\"";
            return;
        }
        context.Response.ContentType = "audio/mpeg";
        context.Response.ContentLength = bytes.Length;
        await context.Response.Body.WriteAsync(bytes);
    }

    private static string? Bearer(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.Ordinal) ? header["Bearer ".Length..] : null;
    }

    private bool IsLiveOAuth(string token, DateTimeOffset now)
    {
        lock (_lock) return _oauthTokens.TryGetValue(token, out var until) && now < until;
    }

    private bool IsKnownOAuth(string token)
    {
        lock (_lock) return _oauthTokens.ContainsKey(token);
    }

    private string IssueToken()
    {
        var token = "hubspot-fake-oauth-" + Guid.NewGuid().ToString("N");
        lock (_lock)
        {
            _oauthTokens[token] = _options.Time.GetUtcNow() + _options.TokenLifetime;
            TokensIssued++;
        }
        return token;
    }

    /// <summary><c>POST /oauth/v1/token</c>, refresh-token grant as a form; HubSpot's refresh tokens stay the same.</summary>
    private async Task TokenAsync(HttpContext context)
    {
        if (context.Request.Method != "POST" || !context.Request.HasFormContentType)
        {
            await JsonAsync(context, 400, new JsonObject { ["status"] = "BAD_REQUEST", ["message"] = "form body expected" });
            return;
        }
        var form = await context.Request.ReadFormAsync();
        if (form["grant_type"] != "refresh_token" || form["client_id"] != ClientId || form["client_secret"] != ClientSecret || form["refresh_token"] != RefreshToken)
        {
            await JsonAsync(context, 400, new JsonObject { ["status"] = "BAD_REFRESH_TOKEN", ["message"] = "missing or unknown refresh token", ["correlationId"] = CorrelationId() });
            return;
        }
        await JsonAsync(context, 200, new JsonObject
        {
            ["token_type"] = "bearer",
            ["refresh_token"] = RefreshToken,
            ["access_token"] = IssueToken(),
            ["expires_in"] = Math.Max(1, (long)_options.TokenLifetime.TotalSeconds),
        });
    }

    private bool Admit(FakeLimit limit, DateTimeOffset now)
    {
        lock (_lock)
        {
            if (!_windows.TryGetValue(limit.Group, out var window)) _windows[limit.Group] = window = new Queue<DateTimeOffset>();
            while (window.Count > 0 && now - window.Peek() >= limit.Window) window.Dequeue();
            if (window.Count >= limit.PermitLimit) return false;
            window.Enqueue(now);
            return true;
        }
    }

    private string CorrelationId() => $"{Guid.NewGuid():D}".Remove(0, 8).Insert(0, Interlocked.Increment(ref _correlation).ToString("x8", CultureInfo.InvariantCulture));

    private Task ErrorAsync(HttpContext context, int status, string message, string category) =>
        JsonAsync(context, status, new JsonObject { ["status"] = "error", ["message"] = message, ["correlationId"] = CorrelationId(), ["category"] = category });

    private static async Task JsonAsync(HttpContext context, int status, JsonNode body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json;charset=utf-8";
        await context.Response.WriteAsync(body.ToJsonString());
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
        _stopping.Dispose();
    }
}
