using System.Security.Cryptography;
using CallImport.ImportRunner.Limits;
using CallImport.ImportRunner.Platforms;
using CallImport.ImportRunner.Platforms.Zoom;
using CallImport.Testing.Fakes.Zoom;

namespace CallImport.ImportRunner.Tests.Platforms.Zoom;

/// <summary>
/// A Zoom context pointed at a fake over real HTTP, through the platform pipeline (auth, token renewal,
/// redirects) but with no retries and no limit, so each request the test makes reaches the fake once.
/// </summary>
internal sealed class ZoomTestContext : IDisposable
{
    public static readonly DateTimeOffset January = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset February = new(2026, 2, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly PlatformConnection _connection;

    public ZoomTestContext(ZoomFake fake, string? clientSecret = null, TimeProvider? time = null, TimeSpan? timeout = null)
    {
        var credentials = new Dictionary<string, string>(fake.Credentials);
        if (clientSecret is not null) credentials["clientSecret"] = clientSecret;
        _connection = PlatformConnection.Open(new ZoomContextFactory(), new PlatformCredentials(credentials),
            ImportContextServices.Default with { Time = time ?? TimeProvider.System }, new PlatformConnectionOptions
            {
                Limits = PlatformLimits.Unlimited,
                Retry = new RequestRetrySettings { MaxRetries = 0, MaxThrottledRetries = 0, AttemptTimeout = timeout ?? TimeSpan.FromSeconds(30) },
            });
        Context = _connection.Context;
    }

    public IImportContext Context { get; }

    public static CallQuery Query(DateTimeOffset from, DateTimeOffset to, params (string Key, string Value)[] filters) =>
        new(from, to, filters.ToDictionary(f => f.Key, f => f.Value));

    public static CallQuery AllOfJanuary(params (string Key, string Value)[] filters) => Query(January, February, filters);

    public async Task<List<CallReference>> ListAsync(CallQuery query, Func<Task>? betweenCalls = null)
    {
        var calls = new List<CallReference>();
        await foreach (var call in Context.ListCallsAsync(query, CancellationToken.None))
        {
            calls.Add(call);
            if (betweenCalls is not null) await betweenCalls();
        }
        return calls;
    }

    public Task<SourceCall> FetchAsync(string uuid) => Context.FetchCallAsync(new CallReference(uuid), CancellationToken.None);

    /// <summary>The SHA-256 of the media the context streams, or null when it offers none.</summary>
    public async Task<(string? Sha256, CallMedia? Media)> MediaAsync(SourceCall call)
    {
        await using var media = await Context.OpenMediaAsync(call, CancellationToken.None);
        if (media is null) return (null, null);
        return (Convert.ToHexStringLower(await SHA256.HashDataAsync(media.Content)), media);
    }

    public void Dispose() => _connection.Dispose();
}
