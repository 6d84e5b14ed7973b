using CallImport.ImportRunner.Platforms;
using CallImport.ImportRunner.Platforms.Auth;
using CallImport.ImportRunner.Platforms.Gong;
using CallImport.Testing.Fakes.Gong;

namespace CallImport.ImportRunner.Tests.Platforms.Gong;

/// <summary>
/// A Gong context pointed at a fake over real HTTP, with a plain client (no retries or limits) that adds
/// the factory's auth the way the runner's pipeline does, and records every Authorization header sent.
/// </summary>
internal sealed class GongTestContext : IDisposable
{
    public static readonly DateTimeOffset January = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset February = new(2026, 2, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly HttpClient _http;
    private readonly AuthHandler _auth;

    public GongTestContext(GongFake fake, IReadOnlyDictionary<string, string>? credentials = null, TimeProvider? time = null)
    {
        var factory = new GongContextFactory();
        var platformCredentials = new PlatformCredentials(credentials ?? fake.Credentials);
        var services = time is null ? ImportContextServices.Default : ImportContextServices.Default with { Time = time };
        _auth = new AuthHandler(factory.CreateAuthenticator(platformCredentials, new HttpClient(), services));
        _http = new HttpClient(_auth) { Timeout = TimeSpan.FromSeconds(30) };
        Context = factory.Create(platformCredentials, _http, services);
    }

    public IImportContext Context { get; }

    /// <summary>The Authorization header of every request by URL path (null when none was sent).</summary>
    public IReadOnlyList<(string Path, string? Authorization)> Sent => _auth.Sent;

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

    public void Dispose() => _http.Dispose();

    private sealed class AuthHandler(IRequestAuthenticator authenticator) : DelegatingHandler(new SocketsHttpHandler())
    {
        private readonly List<(string, string?)> _sent = [];

        public IReadOnlyList<(string Path, string? Authorization)> Sent { get { lock (_sent) return [.. _sent]; } }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (!RequestAuthentication.IsSkipped(request)) await authenticator.ApplyAsync(request, cancellationToken);
            lock (_sent) _sent.Add((request.RequestUri!.AbsolutePath, request.Headers.Authorization?.ToString()));
            return await base.SendAsync(request, cancellationToken);
        }
    }
}
