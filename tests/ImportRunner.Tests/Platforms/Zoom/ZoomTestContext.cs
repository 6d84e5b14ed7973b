using System.Security.Cryptography;
using CallImport.ImportRunner.Platforms;
using CallImport.ImportRunner.Platforms.Zoom;
using CallImport.Testing.Fakes.Zoom;

namespace CallImport.ImportRunner.Tests.Platforms.Zoom;

/// <summary>A Zoom context on a fake (see <see cref="PlatformTestContext"/>): token renewal and redirects through the pipeline.</summary>
internal sealed class ZoomTestContext(ZoomFake fake, string? clientSecret = null, TimeProvider? time = null, TimeSpan? timeout = null)
    : PlatformTestContext(new ZoomContextFactory(), Credentials(fake, clientSecret), NoRetries(timeout), time)
{
    private static Dictionary<string, string> Credentials(ZoomFake fake, string? clientSecret)
    {
        var credentials = new Dictionary<string, string>(fake.Credentials);
        if (clientSecret is not null) credentials["clientSecret"] = clientSecret;
        return credentials;
    }

    /// <summary>Lists, running <paramref name="betweenCalls"/> after each call the listing yields (e.g. to let a page token age).</summary>
    public async Task<List<CallReference>> ListAsync(CallQuery query, Func<Task> betweenCalls)
    {
        var calls = new List<CallReference>();
        await foreach (var call in Context.ListCallsAsync(query, CancellationToken.None))
        {
            calls.Add(call);
            await betweenCalls();
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
}
