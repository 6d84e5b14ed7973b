using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace CallImport.Testing.Fakes.RingCentral;

/// <summary>
/// A local RingCentral platform on 127.0.0.1, over real HTTP, built from RingCentral's documentation:
/// <c>POST /restapi/oauth/token</c> (Basic client credentials; JWT-bearer and single-use refresh-token grants),
/// the account and extension call logs with dateFrom/dateTo/view/type/direction/page/perPage and
/// navigation.nextPage, a record by id, the extension info, and recording content at the contentUri on the
/// media host (which this one server also plays). Usage-plan groups with their penalty interval on demand
/// (<see cref="RingCentralFakeOptions.UsagePlan"/>), misbehaviour through <see cref="Faults"/>, and what it
/// saw in <see cref="Traffic"/>.
/// </summary>
public sealed partial class RingCentralFake : IAsyncDisposable
{
    /// <summary>The media host RingCentral's contentUri values name; a client given a baseUrl must use that instead.</summary>
    public const string RealMediaHost = "https://media.ringcentral.com";

    private readonly RingCentralFakeOptions _options;
    private readonly IReadOnlyList<RingCentralFakeRecord> _newestFirst;
    private readonly IReadOnlyDictionary<string, RingCentralFakeRecord> _recordsById;
    private readonly IReadOnlyDictionary<string, RingCentralFakeRecording> _recordingsById;
    private readonly RingCentralFakeTokens _tokens;
    private readonly RingCentralFakeRateLimits? _limits;
    private readonly CancellationTokenSource _stopping = new();
    private WebApplication? _app;

    private RingCentralFake(RingCentralFakeOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.DefaultPerPage, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.CallsTo, options.CallsFrom);
        _options = options;
        Calls = RingCentralFakeSeed.Calls(options);
        var records = Calls.SelectMany(c => c.Records).ToList();
        _newestFirst = [.. records.OrderByDescending(r => r.Start).ThenBy(r => r.Id, StringComparer.Ordinal)];
        _recordsById = records.ToDictionary(r => r.Id, StringComparer.Ordinal);
        _recordingsById = Calls.Where(c => c.Recording is not null).ToDictionary(c => c.Recording!.Id, c => c.Recording!, StringComparer.Ordinal);
        _tokens = new RingCentralFakeTokens(options);
        _limits = options.UsagePlan is { } plan ? new RingCentralFakeRateLimits(plan, options.Time) : null;
        Faults = new RingCentralFakeFaults(options.Seed);
        OwnerExtensionId = Calls.SelectMany(c => c.Records).Select(r => r.ExtensionId).Order(StringComparer.Ordinal).FirstOrDefault() ?? "62264425004";
    }

    /// <summary>E.g. <c>http://127.0.0.1:41234</c>: the credentials' <c>baseUrl</c> (platform and media host).</summary>
    public string BaseUrl { get; private set; } = "";

    /// <summary>Every telephony session, oldest first, with its records and recording.</summary>
    public IReadOnlyList<RingCentralFakeCall> Calls { get; }

    /// <summary>The extension the JWT belongs to (<c>~</c>).</summary>
    public string OwnerExtensionId { get; }

    public RingCentralFakeOptions Options => _options;

    public RingCentralFakeFaults Faults { get; }

    public RingCentralFakeTraffic Traffic { get; } = new();

    /// <summary>Access tokens issued from now on live this long.</summary>
    public TimeSpan AccessTokenLifetime
    {
        get => _tokens.AccessLifetime;
        set => _tokens.AccessLifetime = value;
    }

    /// <summary>Every access token issued so far expires now.</summary>
    public void ExpireAccessTokens() => _tokens.ExpireAccessTokens();

    public int TokensIssued => _tokens.Issued;

    /// <summary>Refresh requests refused because their refresh token was unknown, expired or already used.</summary>
    public int RefusedRefreshes => _tokens.RefusedRefreshes;

    /// <summary>Every access and refresh token the fake has handed out, for "never printed" assertions.</summary>
    public IReadOnlyList<string> IssuedTokens => _tokens.AllIssued();

    /// <summary>The keys of a RingCentral Secret (or credentials file) that point at this fake.</summary>
    public IReadOnlyDictionary<string, string> Credentials => new Dictionary<string, string>
    {
        ["clientId"] = _options.ClientId,
        ["clientSecret"] = _options.ClientSecret,
        ["jwt"] = _options.Jwt,
        ["baseUrl"] = BaseUrl,
    };

    public string CredentialsJson() => JsonSerializer.Serialize(Credentials);

    public static async Task<RingCentralFake> StartAsync(RingCentralFakeOptions? options = null, CancellationToken cancellationToken = default)
    {
        var fake = new RingCentralFake(options ?? new RingCentralFakeOptions());
        await fake.ListenAsync(cancellationToken);
        return fake;
    }

    private async Task ListenAsync(CancellationToken cancellationToken)
    {
        var (app, addresses) = await LoopbackHost.StartAsync(HandleAsync, cancellationToken, _options.Port);
        _app = app;
        BaseUrl = addresses[0];
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
