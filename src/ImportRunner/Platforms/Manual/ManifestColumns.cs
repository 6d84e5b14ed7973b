using System.Globalization;
using System.Text.RegularExpressions;

namespace CallImport.ImportRunner.Platforms.Manual;

/// <summary>The manifest's columns and how their text is read; shared by the CSV and JSON readers.</summary>
internal static partial class ManifestColumns
{
    public const string File = "file";
    public const string Id = "id";
    public const string Title = "title";
    public const string StartTime = "start_time";
    public const string Duration = "duration";
    public const string Participants = "participants";

    public static DateTimeOffset? ParseStartTime(string? raw)
    {
        if (string.IsNullOrWhiteSpace(raw)) return null;
        var text = raw.Trim();
        // RFC 3339 demands an offset: a time without one would silently mean the runner's zone.
        if (!Rfc3339().IsMatch(text) || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var value))
            throw new ManifestColumnException(StartTime, $"'{text}' is not an RFC 3339 time with an offset (e.g. 2026-01-05T14:30:00Z)");
        return value;
    }

    /// <summary>Seconds ("1830", "1830.5") or clock form ("HH:MM:SS", "MM:SS").</summary>
    public static TimeSpan? ParseDuration(string? raw)
    {
        if (string.IsNullOrWhiteSpace(raw)) return null;
        var text = raw.Trim();
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && double.IsFinite(seconds) && seconds >= 0)
            return TimeSpan.FromSeconds(seconds);
        var clock = Clock().Match(text);
        if (clock.Success)
        {
            var hours = clock.Groups["h"].Success ? int.Parse(clock.Groups["h"].Value, CultureInfo.InvariantCulture) : 0;
            var minutes = int.Parse(clock.Groups["m"].Value, CultureInfo.InvariantCulture);
            var secs = double.Parse(clock.Groups["s"].Value, CultureInfo.InvariantCulture);
            if (minutes < 60 && secs < 60)
                return TimeSpan.FromHours(hours) + TimeSpan.FromMinutes(minutes) + TimeSpan.FromSeconds(secs);
        }
        throw new ManifestColumnException(Duration, $"'{text}' is neither seconds nor HH:MM:SS");
    }

    /// <summary>"Name &lt;email&gt;; Name2 &lt;email2&gt;" or plain emails (or names) separated by ';'.</summary>
    public static IReadOnlyList<SourceParticipant> ParseParticipants(string? raw) =>
        string.IsNullOrWhiteSpace(raw)
            ? []
            : raw.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(ParseParticipant).OfType<SourceParticipant>().ToList();

    public static SourceParticipant? ParseParticipant(string item)
    {
        var text = item.Trim();
        if (text.Length == 0) return null;
        var named = NameAndEmail().Match(text);
        if (named.Success)
        {
            var name = named.Groups["name"].Value.Trim().Trim('"').Trim();
            return new SourceParticipant(name.Length == 0 ? null : name, named.Groups["email"].Value.Trim());
        }
        return text.Contains('@', StringComparison.Ordinal) ? new SourceParticipant(null, text) : new SourceParticipant(text, null);
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")]
    private static partial Regex Rfc3339();

    [GeneratedRegex(@"^(?:(?<h>\d+):)?(?<m>\d{1,2}):(?<s>\d{1,2}(?:\.\d+)?)$")]
    private static partial Regex Clock();

    [GeneratedRegex(@"^(?<name>[^<>]*)<(?<email>[^<>\s]+@[^<>\s]+)>$")]
    private static partial Regex NameAndEmail();
}

/// <summary>One column of one manifest row could not be read; the row's call fails with this reason.</summary>
internal sealed class ManifestColumnException(string column, string problem) : Exception($"column '{column}': {problem}")
{
    public string Column { get; } = column;
}
