using System.Text.Json;
using CsvHelper;

namespace CallImport.ImportRunner.Platforms.Manual;

/// <summary>
/// The optional manifest at the folder's root: <c>manifest.csv</c>, <c>manifest.jsonl</c> or <c>manifest.json</c>
/// (JSON lines, or one JSON array). A row that cannot be read fails only its own call; a manifest that cannot be
/// read at all (no <c>file</c> column, two manifests) stops the listing with <see cref="InvalidDataException"/>.
/// </summary>
internal static class UploadManifest
{
    public static readonly IReadOnlyList<string> FileNames = ["manifest.csv", "manifest.jsonl", "manifest.json"];

    public static bool IsManifest(string path) => FileNames.Contains(path, StringComparer.OrdinalIgnoreCase);

    /// <summary>The rows of the folder's manifest, or none when it has no manifest.</summary>
    public static async Task<IReadOnlyList<ManifestRow>> ReadAsync(IUploadFolder folder, IEnumerable<UploadFile> files, CancellationToken cancellationToken)
    {
        var manifests = files.Where(f => IsManifest(f.Path)).Select(f => f.Path).Order(StringComparer.Ordinal).ToList();
        if (manifests.Count == 0) return [];
        if (manifests.Count > 1)
            throw new InvalidDataException($"The upload folder has more than one manifest ({string.Join(", ", manifests)}); keep one.");

        var name = manifests[0];
        var (content, _) = await folder.OpenReadAsync(name, cancellationToken);
        await using (content)
        {
            if (name.EndsWith(".csv", StringComparison.OrdinalIgnoreCase))
                return await ReadCsvAsync(name, content, cancellationToken);
            // JSON manifests are small (a line per recording); the recordings themselves are never read whole.
            using var reader = new StreamReader(content);
            return ReadJson(name, await reader.ReadToEndAsync(cancellationToken));
        }
    }

    private static async Task<IReadOnlyList<ManifestRow>> ReadCsvAsync(string name, Stream content, CancellationToken cancellationToken)
    {
        // The separator is detected (',' or the ';' of some spreadsheet locales); line numbers name rows for people.
        await using var csv = CsvReader.Create(content, CsvReaderOptions.Default with { TrackLineNumbers = true, TrimWhitespace = true }, leaveOpen: true);
        await csv.ReadHeaderAsync(cancellationToken);
        var header = csv.Headers.Select(h => h.Trim().ToLowerInvariant()).ToList();
        if (header.Count == 0) return [];
        if (!header.Contains(ManifestColumns.File))
            throw new InvalidDataException($"{name} has no '{ManifestColumns.File}' column (its header: {string.Join(", ", header)}).");

        var rows = new List<ManifestRow>();
        while (await csv.ReadAsync(cancellationToken))
        {
            string? Field(string column) =>
                csv.TryGetFieldIndex(column, out var index) && index < csv.FieldCount && csv.GetString(index) is { } value && !string.IsNullOrWhiteSpace(value)
                    ? value.Trim()
                    : null;
            // Spreadsheets export trailing rows of empty cells; they describe nothing.
            if (Enumerable.Range(0, csv.FieldCount).All(i => string.IsNullOrWhiteSpace(csv.GetString(i)))) continue;
            rows.Add(Build(name, (int)csv.LineNumber, Field(ManifestColumns.File), Field(ManifestColumns.Id), Field(ManifestColumns.Title),
                () => ManifestColumns.ParseStartTime(Field(ManifestColumns.StartTime)),
                () => ManifestColumns.ParseDuration(Field(ManifestColumns.Duration)),
                () => ManifestColumns.ParseParticipants(Field(ManifestColumns.Participants))));
        }
        return rows;
    }

    private static IReadOnlyList<ManifestRow> ReadJson(string name, string text)
    {
        var rows = new List<ManifestRow>();
        if (text.TrimStart().StartsWith('['))
        {
            using var array = ParseDocument(text) ?? throw new InvalidDataException($"{name} starts like a JSON array but is not valid JSON.");
            if (array.RootElement.ValueKind != JsonValueKind.Array)
                throw new InvalidDataException($"{name} is not a JSON array of objects.");
            var index = 0;
            foreach (var element in array.RootElement.EnumerateArray())
                rows.Add(FromJson(name, ++index, element));
            return rows;
        }

        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            if (string.IsNullOrWhiteSpace(lines[i])) continue;
            using var line = ParseDocument(lines[i]);
            rows.Add(line is null
                ? new ManifestRow(name, i + 1) { Problem = $"{name} row {i + 1}: not valid JSON" }
                : FromJson(name, i + 1, line.RootElement));
        }
        return rows;
    }

    private static JsonDocument? ParseDocument(string json)
    {
        try
        {
            return JsonDocument.Parse(json);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static ManifestRow FromJson(string name, int row, JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object)
            return new ManifestRow(name, row) { Problem = $"{name} row {row}: not a JSON object" };
        var fields = element.EnumerateObject()
            .GroupBy(p => p.Name.ToLowerInvariant())
            .ToDictionary(g => g.Key, g => g.First().Value);
        string? Field(string column) => fields.TryGetValue(column, out var value) ? JsonText(column, value) : null;
        try
        {
            return Build(name, row, Field(ManifestColumns.File), Field(ManifestColumns.Id), Field(ManifestColumns.Title),
                () => ManifestColumns.ParseStartTime(Field(ManifestColumns.StartTime)),
                () => ManifestColumns.ParseDuration(Field(ManifestColumns.Duration)),
                () => fields.TryGetValue(ManifestColumns.Participants, out var p) && p.ValueKind == JsonValueKind.Array
                    ? p.EnumerateArray().Select(JsonParticipant).OfType<SourceParticipant>().ToList()
                    : ManifestColumns.ParseParticipants(Field(ManifestColumns.Participants)));
        }
        catch (ManifestColumnException e)
        {
            // A scalar column holding an object or array: the file (and id) may be unreadable too.
            return new ManifestRow(name, row) { Problem = $"{name} row {row}: {e.Message}" };
        }
    }

    private static string? JsonText(string column, JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => string.IsNullOrWhiteSpace(value.GetString()) ? null : value.GetString()!.Trim(),
        JsonValueKind.Number => value.GetRawText(),
        JsonValueKind.Null => null,
        _ => throw new ManifestColumnException(column, $"expected text, found {value.ValueKind.ToString().ToLowerInvariant()}"),
    };

    private static SourceParticipant? JsonParticipant(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => ManifestColumns.ParseParticipant(element.GetString() ?? ""),
        JsonValueKind.Object => Person(
            element.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null,
            element.TryGetProperty("email", out var e) && e.ValueKind == JsonValueKind.String ? e.GetString() : null),
        _ => throw new ManifestColumnException(ManifestColumns.Participants, "expected names, emails or {name, email} objects"),
    };

    private static SourceParticipant? Person(string? name, string? email) =>
        string.IsNullOrWhiteSpace(name) && string.IsNullOrWhiteSpace(email)
            ? null
            : new SourceParticipant(string.IsNullOrWhiteSpace(name) ? null : name.Trim(), string.IsNullOrWhiteSpace(email) ? null : email.Trim());

    /// <summary>Reads the typed columns one by one, so a bad one names itself and the rest of the row still identifies the call.</summary>
    private static ManifestRow Build(string name, int row, string? file, string? id, string? title,
        Func<DateTimeOffset?> startTime, Func<TimeSpan?> duration, Func<IReadOnlyList<SourceParticipant>> participants)
    {
        var result = new ManifestRow(name, row) { File = UploadPath.Normalize(file), Id = id, Title = title };
        if (file is null)
            return result with { Problem = $"{result.Where}: column '{ManifestColumns.File}' is empty" };
        if (result.File is null)
            return result with { Problem = $"{result.Where}: column '{ManifestColumns.File}': '{file}' is not a path inside the upload folder" };
        try
        {
            return result with { StartedAt = startTime(), Duration = duration(), Participants = participants() };
        }
        catch (ManifestColumnException e)
        {
            return result with { Problem = $"{result.Where}: {e.Message}" };
        }
    }
}
