using CallImport.ImportRunner.Platforms;
using CallImport.ImportRunner.Limits;
using CallImport.ImportRunner.Platforms.Gong;
using CallImport.Testing.Fakes.Gong;

namespace CallImport.ImportRunner.Tests.Platforms.Gong;

/// <summary>
/// A Gong context pointed at a fake over real HTTP, through the platform pipeline (auth, signals) with no
/// retries and no limit, so each request the test makes reaches the fake once; records the Authorization
/// header of every request as it left.
/// </summary>
internal sealed class GongTestContext : IDisposable
{
    public static readonly DateTimeOffset January = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset February = new(2026, 2, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly PlatformConnection _connection;
    private readonly RecordingTransport _transport = new();

    public GongTestContext(GongFake fake, IReadOnlyDictionary<string, string>? credentials = null, TimeProvider? time = null)
    {
        var factory = new GongContextFactory();
        var platformCredentials = new PlatformCredentials(credentials ?? fake.Credentials);
        var services = time is null ? ImportContextServices.Default : ImportContextServices.Default with { Time = time };
        _connection = PlatformConnection.Open(factory, platformCredentials, services, new PlatformConnectionOptions
        {
            Limits = PlatformLimits.Unlimited,
            Retry = new RequestRetrySettings { MaxRetries = 0, MaxThrottledRetries = 0, AttemptTimeout = TimeSpan.FromSeconds(30) },
            Transport = _transport,
        });
        Context = _connection.Context;
    }

    public IImportContext Context { get; }

    /// <summary>The Authorization header of every request by URL path (null when none was sent).</summary>
    public IReadOnlyList<(string Path, string? Authorization)> Sent => _transport.Sent;

    public static CallQuery Query(DateTimeOffset from, DateTimeOffset to, params (string Key, string Value)[] filters) =>
        new(from, to, filters.ToDictionary(f => f.Key, f => f.Value));

    public static CallQuery AllOfJanuary(params (string Key, string Value)[] filters) => Query(January, February, filters);

    public async Task<List<CallReference>> ListAsync(CallQuery query)
    {
        var calls = new List<CallReference>();
        await foreach (var call in Context.ListCallsAsync(query, CancellationToken.None)) calls.Add(call);
        return calls;
    }

    public Task<SourceCall> FetchAsync(CallReference call) => Context.FetchCallAsync(call, CancellationToken.None);

    public Task<Transcript?> TranscriptAsync(SourceCall call) => Context.FetchTranscriptAsync(call, CancellationToken.None);

    public async Task<byte[]?> MediaBytesAsync(SourceCall call)
    {
        await using var media = await Context.OpenMediaAsync(call, CancellationToken.None);
        if (media is null) return null;
        using var copy = new MemoryStream();
        await media.Content.CopyToAsync(copy);
        return copy.ToArray();
    }

    public void Dispose() => _connection.Dispose();

    private sealed class RecordingTransport() : DelegatingHandler(new SocketsHttpHandler())
    {
        private readonly List<(string, string?)> _sent = [];

        public IReadOnlyList<(string Path, string? Authorization)> Sent { get { lock (_sent) return [.. _sent]; } }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            lock (_sent) _sent.Add((request.RequestUri!.AbsolutePath, request.Headers.Authorization?.ToString()));
            return base.SendAsync(request, cancellationToken);
        }
    }
}
