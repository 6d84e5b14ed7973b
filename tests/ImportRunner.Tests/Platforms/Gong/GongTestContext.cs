using CallImport.ImportRunner.Platforms;
using CallImport.ImportRunner.Platforms.Gong;
using CallImport.Testing.Fakes.Gong;

namespace CallImport.ImportRunner.Tests.Platforms.Gong;

/// <summary>
/// A Gong context on a fake (see <see cref="PlatformTestContext"/>) that records the Authorization header of every
/// request as it left.
/// </summary>
internal sealed class GongTestContext : PlatformTestContext
{
    private readonly RecordingTransport _transport;

    public GongTestContext(GongFake fake, IReadOnlyDictionary<string, string>? credentials = null, TimeProvider? time = null)
        : this(fake, credentials, time, new RecordingTransport())
    {
    }

    private GongTestContext(GongFake fake, IReadOnlyDictionary<string, string>? credentials, TimeProvider? time, RecordingTransport transport)
        : base(new GongContextFactory(), credentials ?? fake.Credentials, time: time, transport: transport) => _transport = transport;

    /// <summary>The Authorization header of every request by URL path (null when none was sent).</summary>
    public IReadOnlyList<(string Path, string? Authorization)> Sent => _transport.Sent;

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
