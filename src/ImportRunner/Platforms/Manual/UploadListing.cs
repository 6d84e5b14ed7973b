namespace CallImport.ImportRunner.Platforms.Manual;

/// <summary>
/// Joins the folder's files and its manifest into calls. Every recording is a call, with or without a manifest row;
/// every manifest row is a call too, even one whose file is missing or whose columns are malformed, so that its
/// failure is recorded instead of dropped.
/// </summary>
internal static class UploadListing
{
    private static readonly string[] TranscriptExtensions = [".vtt", ".srt", ".txt"];

    public static IReadOnlyList<UploadEntry> Build(IReadOnlyList<UploadFile> files, IReadOnlyList<ManifestRow> manifest,
        ManualUploadFilters filters, DateTimeOffset from, DateTimeOffset to)
    {
        var present = files.Where(f => !UploadPath.IsDebris(f.Path)).ToDictionary(f => f.Path, StringComparer.Ordinal);
        var sidecars = present.Keys.Where(p => TranscriptExtensions.Contains(Path.GetExtension(p), StringComparer.OrdinalIgnoreCase))
            .ToLookup(p => p, StringComparer.OrdinalIgnoreCase);
        var media = present.Values.Where(f => MediaTypes.IsMedia(f.Path) && filters.Includes(f.Path)).ToDictionary(f => f.Path, StringComparer.Ordinal);

        var entries = new List<UploadEntry>();
        var claimedFiles = new Dictionary<string, int>(StringComparer.Ordinal);
        var usedIds = new Dictionary<string, int>(StringComparer.Ordinal);

        foreach (var row in manifest)
        {
            if (row.File is not null && !filters.Includes(row.File)) continue;
            var entry = FromRow(row, present, media, claimedFiles, usedIds, sidecars);
            usedIds.TryAdd(entry.SourceCallId, row.Row);
            if (row.File is not null) claimedFiles.TryAdd(row.File, row.Row);
            if (InRange(entry, from, to))
                entries.Add(entry);
        }

        // Recordings the manifest does not mention: handed over for this import, so listed whatever their date.
        foreach (var file in media.Values.Where(f => !claimedFiles.ContainsKey(f.Path)).OrderBy(f => f.Path, StringComparer.Ordinal))
        {
            entries.Add(new UploadEntry
            {
                SourceCallId = file.Path,
                File = file.Path,
                Title = Path.GetFileNameWithoutExtension(file.Path),
                StartedAt = file.LastWriteTime,
                TranscriptFile = SidecarOf(file.Path, sidecars),
                MetadataQuality = "minimal",
            });
        }
        return entries;
    }

    private static UploadEntry FromRow(ManifestRow row, Dictionary<string, UploadFile> present, Dictionary<string, UploadFile> media,
        Dictionary<string, int> claimedFiles, Dictionary<string, int> usedIds, ILookup<string, string> sidecars)
    {
        // Rows that cannot name their own call get one from their position, stable while the manifest is.
        var rowId = $"manifest-row-{row.Row}";
        if (row.File is null)
            return new UploadEntry { SourceCallId = row.Id ?? rowId, Problem = row.Problem };
        if (claimedFiles.TryGetValue(row.File, out var earlier))
            return new UploadEntry { SourceCallId = rowId, Problem = $"{row.Where}: file '{row.File}' is already described by row {earlier}" };

        var id = row.Id ?? row.File;
        if (usedIds.TryGetValue(id, out var other))
            return new UploadEntry { SourceCallId = rowId, Problem = $"{row.Where}: id '{id}' is already used by row {other}" };
        if (row.Id is not null && row.Id != row.File && media.ContainsKey(row.Id))
            return new UploadEntry { SourceCallId = rowId, Problem = $"{row.Where}: id '{row.Id}' is the path of another recording" };

        var entry = new UploadEntry
        {
            SourceCallId = id,
            File = row.File,
            Title = row.Title ?? Path.GetFileNameWithoutExtension(row.File),
            StartedAt = row.StartedAt ?? (present.TryGetValue(row.File, out var f) ? f.LastWriteTime : null),
            StartFromManifest = row.StartedAt is not null,
            Duration = row.Duration,
            Participants = row.Participants,
            MetadataQuality = Grade(row),
            Problem = row.Problem,
        };
        if (entry.Problem is not null) return entry;
        if (!present.ContainsKey(row.File))
            return entry with { Problem = $"{row.Where}: file '{row.File}' not found" };
        if (!MediaTypes.IsMedia(row.File))
            return entry with { Problem = $"{row.Where}: file '{row.File}' is not a recording this import reads ({string.Join(' ', MediaTypes.Extensions)})" };
        return entry with { TranscriptFile = SidecarOf(row.File, sidecars) };
    }

    // Without a start time from the manifest (none given, or the row is malformed, its date perhaps being what is
    // wrong) the call is listed whatever the range: it was handed over for this import.
    private static bool InRange(UploadEntry entry, DateTimeOffset from, DateTimeOffset to) =>
        !entry.StartFromManifest || entry.StartedAt >= from && entry.StartedAt < to;

    private static string Grade(ManifestRow row)
    {
        var known = new[] { row.Title is not null, row.StartedAt is not null, row.Duration is not null, row.Participants.Count > 0 }.Count(k => k);
        return known switch { 4 => "full", 0 => "minimal", _ => "partial" };
    }

    /// <summary>"call.mp3.vtt" or "call.vtt" (then .srt, then .txt) next to the recording.</summary>
    private static string? SidecarOf(string mediaPath, ILookup<string, string> sidecars)
    {
        var stem = mediaPath[..^Path.GetExtension(mediaPath).Length];
        return TranscriptExtensions
            .SelectMany(ext => new[] { mediaPath + ext, stem + ext })
            .Select(candidate => sidecars[candidate].FirstOrDefault())
            .FirstOrDefault(found => found is not null);
    }
}
