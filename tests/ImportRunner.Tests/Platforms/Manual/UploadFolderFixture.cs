using CallImport.ImportRunner.Platforms;
using CallImport.ImportRunner.Platforms.Manual;

namespace CallImport.ImportRunner.Tests.Platforms.Manual;

/// <summary>A real temporary folder handed over "by a customer", and a manual-upload context reading it.</summary>
public sealed class UploadFolderFixture : IDisposable
{
    public static readonly DateTimeOffset Beginning = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset End = new(2100, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public UploadFolderFixture() => Directory.CreateDirectory(Root);

    public string Root { get; } = Path.Combine(Path.GetTempPath(), "callimport-manual-" + Guid.NewGuid().ToString("N"));

    public string PathOf(string relativePath) => Path.Combine(Root, relativePath);

    public string Write(string relativePath, string content) => WriteBytes(relativePath, System.Text.Encoding.UTF8.GetBytes(content));

    public string WriteBytes(string relativePath, byte[] content)
    {
        var path = Path.Combine(Root, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, content);
        return path;
    }

    /// <summary>A recording: distinct bytes per file so a mix-up would show.</summary>
    public byte[] Recording(string relativePath, int length = 4096)
    {
        var bytes = new byte[length];
        new Random(relativePath.GetHashCode(StringComparison.Ordinal)).NextBytes(bytes);
        WriteBytes(relativePath, bytes);
        return bytes;
    }

    public IImportContext Context(string? location = null) =>
        new ManualUploadContextFactory().Create(
            new PlatformCredentials(new Dictionary<string, string> { [ManualUploadContextFactory.LocationKey] = location ?? Root }),
            new HttpClient(), ImportContextServices.Default);

    public async Task<List<CallReference>> ListAsync(DateTimeOffset? from = null, DateTimeOffset? to = null,
        IReadOnlyDictionary<string, string>? filters = null, IImportContext? context = null)
    {
        var calls = new List<CallReference>();
        var query = new CallQuery(from ?? Beginning, to ?? End, filters ?? new Dictionary<string, string>());
        await foreach (var call in (context ?? Context()).ListCallsAsync(query, CancellationToken.None))
            calls.Add(call);
        return calls;
    }

    /// <summary>Lists and fetches every call: the fetched call, or the permanent failure's message.</summary>
    public async Task<Dictionary<string, (SourceCall? Call, string? Failure)>> FetchAllAsync(DateTimeOffset? from = null, DateTimeOffset? to = null)
    {
        var context = Context();
        var result = new Dictionary<string, (SourceCall?, string?)>();
        foreach (var reference in await ListAsync(from, to, context: context))
        {
            try
            {
                result.Add(reference.SourceCallId, (await context.FetchCallAsync(reference, CancellationToken.None), null));
            }
            catch (PermanentCallException e)
            {
                result.Add(reference.SourceCallId, (null, e.Message));
            }
        }
        return result;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder must not fail a test.
        }
    }
}
