using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace CallImport.ImportRunner.Platforms.Manual;

/// <summary>
/// Imports a handed-over folder. Every recording is a call; its id is the manifest's <c>id</c> or else its
/// relative path, so a second import of the same folder is a no-op. No HTTP: the folder is the platform.
/// </summary>
public sealed class ManualUploadContext : IImportContext
{
    /// <summary>
    /// ContextData key carrying the context's own grade (full/partial/minimal). The context fills a missing title
    /// from the file name and a missing start from the file's last-write time, which the processor cannot tell
    /// from real metadata, so it should prefer this grade to its own.
    /// </summary>
    public const string MetadataQualityKey = SourceCall.MetadataQualityKey;

    /// <summary>ContextData key of the sidecar transcript's relative path, when there is one.</summary>
    public const string TranscriptFileKey = "transcriptFile";

    private static readonly CallQuery Everything = new(DateTimeOffset.MinValue, DateTimeOffset.MaxValue, new Dictionary<string, string>());

    private readonly Lazy<IUploadFolder> _folder;
    private readonly ILogger _logger;

    internal ManualUploadContext(Lazy<IUploadFolder> folder, ImportContextServices services)
    {
        _folder = folder;
        _logger = services.LoggerFactory.CreateLogger<ManualUploadContext>();
    }

    public Task ValidateCredentialsAsync(CancellationToken cancellationToken) => _folder.Value.EnsureReadableAsync(cancellationToken);

    public async IAsyncEnumerable<CallReference> ListCallsAsync(CallQuery query, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var entry in await ListEntriesAsync(query, cancellationToken))
            yield return new CallReference(entry.SourceCallId, entry.StartFromManifest ? entry.StartedAt : null, JsonSerializer.Serialize(entry, ManualJson.Default.UploadEntry));
    }

    public async Task<SourceCall> FetchCallAsync(CallReference call, CancellationToken cancellationToken)
    {
        var entry = ReadPayload(call) ?? await FindAsync(call.SourceCallId, cancellationToken);
        if (entry.Problem is not null) throw new PermanentCallException(entry.Problem);
        var data = new Dictionary<string, string> { [MetadataQualityKey] = entry.MetadataQuality };
        if (entry.TranscriptFile is not null) data[TranscriptFileKey] = entry.TranscriptFile;
        return new SourceCall
        {
            SourceCallId = entry.SourceCallId,
            Title = entry.Title,
            StartedAt = entry.StartedAt,
            Duration = entry.Duration,
            Participants = entry.Participants,
            MediaLocation = entry.File,
            ContextData = data,
        };
    }

    public async Task<CallMedia?> OpenMediaAsync(SourceCall call, CancellationToken cancellationToken)
    {
        var path = call.MediaLocation ?? throw new PermanentCallException($"call '{call.SourceCallId}' names no file.");
        var (content, length) = await _folder.Value.OpenReadAsync(path, cancellationToken);
        return new CallMedia(content, MediaTypes.ContentType(path), length, Path.GetExtension(path).ToLowerInvariant());
    }

    public async Task<Transcript?> FetchTranscriptAsync(SourceCall call, CancellationToken cancellationToken)
    {
        if (!call.ContextData.TryGetValue(TranscriptFileKey, out var path)) return null;
        var (content, _) = await _folder.Value.OpenReadAsync(path, cancellationToken);
        string text;
        await using (content)
        {
            using var reader = new StreamReader(content);
            text = await reader.ReadToEndAsync(cancellationToken);
        }
        var transcript = SidecarTranscript.Parse(text, Path.GetExtension(path));
        if (transcript is null)
            _logger.LogWarning("Sidecar transcript {TranscriptFile} of call {CallId} holds no readable cues; the call will be transcribed instead", path, call.SourceCallId);
        return transcript;
    }

    private async Task<IReadOnlyList<UploadEntry>> ListEntriesAsync(CallQuery query, CancellationToken cancellationToken)
    {
        // Filters first: a typo in the ImportJob should fail before the folder is read.
        var filters = ManualUploadFilters.From(query);
        var files = await _folder.Value.ListAsync(cancellationToken);
        var manifest = await UploadManifest.ReadAsync(_folder.Value, files, cancellationToken);
        var entries = UploadListing.Build(files, manifest, filters, query.From, query.To);
        _logger.LogInformation("Manual upload: {Files} files, {ManifestRows} manifest rows, {Calls} calls listed ({Problems} that cannot be imported)",
            files.Count, manifest.Count, entries.Count, entries.Count(e => e.Problem is not null));
        return entries;
    }

    /// <summary>A resumed run may hold only the id: the folder is listed again to find it.</summary>
    private async Task<UploadEntry> FindAsync(string sourceCallId, CancellationToken cancellationToken) =>
        (await ListEntriesAsync(Everything, cancellationToken)).FirstOrDefault(e => e.SourceCallId == sourceCallId)
        ?? throw new PermanentCallException($"call '{sourceCallId}' is no longer in the upload folder or its manifest.");

    private static UploadEntry? ReadPayload(CallReference call)
    {
        if (call.ListingPayload is null) return null;
        try
        {
            var entry = JsonSerializer.Deserialize(call.ListingPayload, ManualJson.Default.UploadEntry);
            return entry?.SourceCallId == call.SourceCallId ? entry : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
