using CallImport.ImportRunner.Platforms;
using CallImport.ImportRunner.Platforms.Grain;
using CallImport.Testing.Fakes.Grain;

namespace CallImport.ImportRunner.Tests.Platforms.Grain;

/// <summary>A Grain context on a fake (see <see cref="PlatformTestContext"/>), with another key, attempt timeout or base URL when a test gives one.</summary>
internal sealed class GrainTestContext(GrainFake fake, string? apiKey = null, TimeSpan? timeout = null, string? baseUrl = null)
    : PlatformTestContext(new GrainContextFactory(),
        new Dictionary<string, string> { ["apiKey"] = apiKey ?? fake.ApiKey, ["baseUrl"] = baseUrl ?? fake.BaseUrl }, NoRetries(timeout))
{
    public Task<SourceCall> FetchAsync(string id) => Context.FetchCallAsync(new CallReference(id), CancellationToken.None);

    public Task<Transcript?> TranscriptAsync(string id) =>
        Context.FetchTranscriptAsync(new SourceCall { SourceCallId = id }, CancellationToken.None);
}
