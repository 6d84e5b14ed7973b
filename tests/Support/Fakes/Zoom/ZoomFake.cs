using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace CallImport.Testing.Fakes.Zoom;

/// <summary>
/// A local Zoom over real HTTP, built from Zoom's API reference: server-to-server OAuth
/// (<c>POST /oauth/token?grant_type=account_credentials</c>, Basic client:secret, one-hour bearer, no refresh
/// token); <c>GET /v2/accounts/{me|id}/recordings</c> and <c>GET /v2/users/{me|id|email}/recordings</c> by
/// whole days (at most one month: wider ranges are silently narrowed), <c>page_size</c> ≤ 300 and 15-minute
/// <c>next_page_token</c>s; <c>GET /v2/meetings/{uuid}/recordings</c> (UUIDs beginning with '/' or containing
/// '//' must be double-encoded); <c>GET /v2/past_meetings/{uuid}/participants</c>; <c>download_url</c>s that
/// want the token and redirect to a signed URL on a second host (the storage port); Light/Medium/Heavy limits
/// with Zoom's 429 headers; errors as <c>{code, message}</c>. Misbehaves on demand through <see cref="Faults"/>.
/// </summary>
public sealed partial class ZoomFake : IAsyncDisposable
{
    private readonly ZoomFakeOptions _options;
    private readonly IReadOnlyDictionary<string, ZoomFakeMeeting> _byUuid;
    private readonly IReadOnlyDictionary<string, ZoomFakeFile> _filesById;
    private readonly IReadOnlyList<ZoomFakeMeeting> _newestFirst;
    private readonly ZoomFakeTokens _tokens;
    private readonly ZoomFakeRateLimits? _limits;
    private readonly byte[] _signingKey = RandomNumberGenerator.GetBytes(32);
    private readonly CancellationTokenSource _stopping = new();
    private WebApplication? _app;
    private int _storagePort;
    private string _clientSecret;
    private volatile bool _participantsAvailable = true;

    private ZoomFake(ZoomFakeOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.MeetingsTo, options.MeetingsFrom);
        _options = options;
        _clientSecret = options.ClientSecret;
        Users = ZoomFakeSeed.Users(options);
        Meetings = ZoomFakeSeed.Meetings(options, Users);
        _byUuid = Meetings.ToDictionary(m => m.Uuid, StringComparer.Ordinal);
        _filesById = Meetings.SelectMany(m => m.Files).ToDictionary(f => f.Id, StringComparer.Ordinal);
        _newestFirst = [.. Meetings.OrderByDescending(m => m.Start)];
        _tokens = new ZoomFakeTokens(options.Time);
        _limits = options.EnforceRateLimits ? new ZoomFakeRateLimits(options.Plan, options.Time) : null;
        Faults = new ZoomFakeFaults(options.Seed);
    }

    /// <summary>E.g. <c>http://127.0.0.1:41234/</c>: the credentials' <c>baseUrl</c>, standing for both api.zoom.us and zoom.us.</summary>
    public string BaseUrl { get; private set; } = "";

    /// <summary>The storage host that downloads redirect to.</summary>
    public string StorageUrl { get; private set; } = "";

    public ZoomFakeOptions Options => _options;

    /// <summary>The secret accepted now; set another to revoke the old one while running.</summary>
    public string ClientSecret
    {
        get => Volatile.Read(ref _clientSecret);
        set => Volatile.Write(ref _clientSecret, value);
    }

    /// <summary>Whether the app may read past-meeting participants (its plan and scopes allow it).</summary>
    public bool ParticipantsAvailable
    {
        get => _participantsAvailable;
        set => _participantsAvailable = value;
    }

    /// <summary>The account's users; the first one is the owner of the app ("me").</summary>
    public IReadOnlyList<ZoomFakeUser> Users { get; }

    /// <summary>Every seeded meeting, oldest first.</summary>
    public IReadOnlyList<ZoomFakeMeeting> Meetings { get; }

    public ZoomFakeFaults Faults { get; }

    public ZoomFakeTraffic Traffic { get; } = new();

    /// <summary>The same requests in the shape every vendor fake shares (limit group = Zoom's rate-limit label).</summary>
    public FakeTrafficLog Log { get; } = new();

    /// <summary>Every access token (and download token) the fake has handed out.</summary>
    public IReadOnlyList<string> IssuedTokens => _tokens.Issued;

    /// <summary>Every access token issued so far expires now (a token running out mid-import).</summary>
    public void ExpireTokens() => _tokens.ExpireAll();

    /// <summary>The keys of a Zoom Secret (or credentials file) that point at this fake.</summary>
    public IReadOnlyDictionary<string, string> Credentials => new Dictionary<string, string>
    {
        ["accountId"] = _options.AccountId,
        ["clientId"] = _options.ClientId,
        ["clientSecret"] = ClientSecret,
        ["baseUrl"] = BaseUrl,
    };

    public string CredentialsJson() => JsonSerializer.Serialize(Credentials);

    public static async Task<ZoomFake> StartAsync(ZoomFakeOptions? options = null, CancellationToken cancellationToken = default)
    {
        var fake = new ZoomFake(options ?? new ZoomFakeOptions());
        await fake.ListenAsync(cancellationToken);
        return fake;
    }

    private async Task ListenAsync(CancellationToken cancellationToken)
    {
        var (app, bound) = await LoopbackHost.StartAsync(HandleAsync, cancellationToken, _options.Port, _options.StoragePort);
        _app = app;
        var addresses = bound.Select(a => new Uri(a)).ToList();
        // Kestrel reports the bound ports in the order of the Listen calls.
        BaseUrl = addresses[0].GetLeftPart(UriPartial.Authority) + "/";
        StorageUrl = addresses[1].GetLeftPart(UriPartial.Authority) + "/";
        _storagePort = addresses[1].Port;
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
