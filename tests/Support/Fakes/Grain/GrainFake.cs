using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace CallImport.Testing.Fakes.Grain;

/// <summary>
/// A local Grain public API v2 on 127.0.0.1, over real HTTP: bearer auth, the <c>Public-Api-Version</c>
/// header, <c>POST v2/recordings</c> with a body filter and cursor, <c>POST v2/recordings/{id}</c> with
/// participants, and <c>GET v2/recordings/{id}/transcript</c>. Seeded recordings; misbehaves on demand
/// through <see cref="Faults"/>; records what it saw in <see cref="Traffic"/>.
/// </summary>
public sealed partial class GrainFake : IAsyncDisposable
{
    public const string BasePath = "/_/public-api/";
    public const string ApiVersion = "2025-10-31";

    private readonly GrainFakeOptions _options;
    private readonly IReadOnlyDictionary<string, GrainFakeRecording> _byId;
    private readonly IReadOnlyList<GrainFakeRecording> _newestFirst;
    private readonly GrainFakeRateWindow? _rateWindow;
    private readonly CancellationTokenSource _stopping = new();
    private WebApplication? _app;
    private string _apiKey;

    private GrainFake(GrainFakeOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.PageSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.RecordingsTo, options.RecordingsFrom);
        _options = options;
        _apiKey = options.ApiKey;
        Recordings = GrainFakeSeed.Recordings(options);
        _byId = Recordings.ToDictionary(r => r.Id, StringComparer.OrdinalIgnoreCase);
        _newestFirst = [.. Recordings.OrderByDescending(r => r.Start)];
        _rateWindow = options.RateLimit is { } limit ? new GrainFakeRateWindow(limit, options.Time) : null;
        Faults = new GrainFakeFaults(options.Seed);
    }

    /// <summary>E.g. <c>http://127.0.0.1:41234/_/public-api/</c>: the credentials' <c>baseUrl</c>.</summary>
    public string BaseUrl { get; private set; } = "";

    /// <summary>The token accepted now; set it to another value to revoke the old one while running.</summary>
    public string ApiKey
    {
        get => Volatile.Read(ref _apiKey);
        set => Volatile.Write(ref _apiKey, value);
    }

    /// <summary>Every seeded recording, in seed order (oldest first).</summary>
    public IReadOnlyList<GrainFakeRecording> Recordings { get; }

    public GrainFakeFaults Faults { get; }

    public GrainFakeTraffic Traffic { get; } = new();

    /// <summary>Every request in the shape all vendor fakes share (time, path, status, limit group).</summary>
    public FakeTrafficLog Log { get; } = new();

    /// <summary>The keys of a Grain Secret (or credentials file) that point at this fake.</summary>
    public IReadOnlyDictionary<string, string> Credentials => new Dictionary<string, string>
    {
        ["apiKey"] = ApiKey,
        ["baseUrl"] = BaseUrl,
    };

    /// <summary>The credentials as the command line's credentials file wants them.</summary>
    public string CredentialsJson() => JsonSerializer.Serialize(Credentials);

    public static async Task<GrainFake> StartAsync(GrainFakeOptions? options = null, CancellationToken cancellationToken = default)
    {
        var fake = new GrainFake(options ?? new GrainFakeOptions());
        await fake.ListenAsync(cancellationToken);
        return fake;
    }

    private async Task ListenAsync(CancellationToken cancellationToken)
    {
        // The empty builder reads no configuration files, so many fakes in one test run cost no file watchers.
        var (app, addresses) = await LoopbackHost.StartAsync(HandleAsync, cancellationToken, _options.Port);
        _app = app;
        BaseUrl = addresses[0] + BasePath;
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
