using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace CallImport.Testing.Fakes.Gong;

/// <summary>
/// A local Gong tenant host (API v2) on 127.0.0.1, over real HTTP, built from Gong's documentation:
/// Basic accessKey:secret or OAuth Bearer auth; <c>GET /v2/calls</c> by date range (to exclusive) with its
/// cursor and the "No calls found" 404; <c>POST /v2/calls/extensive</c> by callIds with parties and
/// signed media URLs; <c>POST /v2/calls/transcript</c>; 100 records a page; 3 requests/s and 10,000/day
/// answered with 429 + Retry-After; <c>{requestId, errors[]}</c> error bodies. Media is served from a
/// separate storage path that, like S3, accepts only its signature (no Authorization header) and refuses
/// expired URLs. Misbehaves on demand through <see cref="Faults"/>; records what it saw in <see cref="Traffic"/>.
/// </summary>
public sealed partial class GongFake : IAsyncDisposable
{
    public const string NoCallsFound = "No calls found corresponding to the provided filters";

    private readonly GongFakeOptions _options;
    private readonly IReadOnlyDictionary<string, GongFakeCall> _byId;
    private readonly IReadOnlyList<GongFakeCall> _inMatchOrder;
    private readonly GongFakeRateLimits? _limits;
    private readonly GongFakeMediaSigner _signer;
    private readonly CancellationTokenSource _stopping = new();
    private WebApplication? _app;
    private string _accessKeySecret;

    private GongFake(GongFakeOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.PageSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.CallsTo, options.CallsFrom);
        _options = options;
        _accessKeySecret = options.AccessKeySecret;
        Calls = GongFakeSeed.Calls(options);
        _byId = Calls.ToDictionary(c => c.Id, StringComparer.Ordinal);
        _inMatchOrder = [.. Calls.OrderBy(c => c.MatchedAt).ThenBy(c => c.Id, StringComparer.Ordinal)];
        _limits = options.RateLimit is { } limit ? new GongFakeRateLimits(limit, options.Time) : null;
        _signer = new GongFakeMediaSigner(options.Time, options.MediaUrlLifetime);
        Faults = new GongFakeFaults(options.Seed);
    }

    /// <summary>The tenant host, e.g. <c>http://127.0.0.1:41234/</c>: the credentials' <c>baseUrl</c>.</summary>
    public string BaseUrl { get; private set; } = "";

    public string AccessKey => _options.AccessKey;

    /// <summary>The secret accepted now; set another value to revoke the old one while running.</summary>
    public string AccessKeySecret
    {
        get => Volatile.Read(ref _accessKeySecret);
        set => Volatile.Write(ref _accessKeySecret, value);
    }

    public string? OAuthToken => _options.OAuthToken;

    /// <summary>Every seeded call, in seed order (oldest first).</summary>
    public IReadOnlyList<GongFakeCall> Calls { get; }

    /// <summary>The calls an import should store: every call that is not private.</summary>
    public IEnumerable<GongFakeCall> ImportableCalls => Calls.Where(c => !c.IsPrivate);

    public GongFakeFaults Faults { get; }

    public GongFakeTraffic Traffic { get; } = new();

    /// <summary>Every request in the shape all fakes share: API requests in Gong's one limit group, storage in none.</summary>
    public FakeTrafficLog Log { get; } = new();

    /// <summary>The keys of a Gong Secret (or credentials file) that point at this fake.</summary>
    public IReadOnlyDictionary<string, string> Credentials => new Dictionary<string, string>
    {
        ["accessKey"] = AccessKey,
        ["accessKeySecret"] = AccessKeySecret,
        ["baseUrl"] = BaseUrl,
    };

    /// <summary>The calls Gong matches to [from, to): web conferences by scheduled time, others by start.</summary>
    public IEnumerable<GongFakeCall> CallsIn(DateTimeOffset from, DateTimeOffset to) =>
        _inMatchOrder.Where(c => c.MatchedAt >= from && c.MatchedAt < to);

    public GongFakeCall Call(string id) => _byId[id];

    /// <summary>The credentials as the command line's credentials file wants them.</summary>
    public string CredentialsJson() => JsonSerializer.Serialize(Credentials);

    public static async Task<GongFake> StartAsync(GongFakeOptions? options = null, CancellationToken cancellationToken = default)
    {
        var fake = new GongFake(options ?? new GongFakeOptions());
        await fake.ListenAsync(cancellationToken);
        return fake;
    }

    private async Task ListenAsync(CancellationToken cancellationToken)
    {
        // The empty builder reads no configuration files, so many fakes in one test run cost no file watchers.
        var (app, addresses) = await LoopbackHost.StartAsync(HandleAsync, cancellationToken, _options.Port);
        _app = app;
        BaseUrl = addresses[0] + "/";
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
