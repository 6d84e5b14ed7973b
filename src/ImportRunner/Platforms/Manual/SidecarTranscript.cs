using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace CallImport.ImportRunner.Platforms.Manual;

/// <summary>
/// Reads a transcript delivered next to a recording: WebVTT or SRT cues (speaker from <c>&lt;v Name&gt;</c> or
/// <c>Name: text</c>), or plain text lines with an optional leading time. Null when nothing in it reads as speech.
/// </summary>
internal static partial class SidecarTranscript
{
    /// <summary>Parses by the sidecar's extension: .vtt and .srt are cues; .txt is cues when it has timing lines, else lines.</summary>
    public static Transcript? Parse(string text, string extension)
    {
        var normalized = text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');
        var cues = !extension.Equals(".txt", StringComparison.OrdinalIgnoreCase) || normalized.Contains("-->", StringComparison.Ordinal);
        var segments = cues ? ParseCues(normalized) : ParseLines(normalized);
        return segments.Count == 0 ? null : new Transcript(segments);
    }

    private static List<TranscriptSegment> ParseCues(string text)
    {
        var segments = new List<TranscriptSegment>();
        foreach (var block in BlankLines().Split(text))
        {
            var lines = block.Split('\n');
            var timing = Array.FindIndex(lines, l => l.Contains("-->", StringComparison.Ordinal));
            // Header, NOTE, STYLE and REGION blocks have no timing line (WebVTT forbids "-->" in them).
            if (timing < 0 || lines[0].StartsWith("NOTE", StringComparison.Ordinal)) continue;
            var times = Timing().Match(lines[timing]);
            if (!times.Success || ParseTime(times.Groups["start"].Value) is not { } start) continue;
            var end = ParseTime(times.Groups["end"].Value);
            segments.AddRange(Utterances(lines.Skip(timing + 1), start, end));
        }
        return segments;
    }

    /// <summary>A cue's lines: a line naming a new speaker starts a new segment, others continue the current one.</summary>
    private static IEnumerable<TranscriptSegment> Utterances(IEnumerable<string> lines, TimeSpan start, TimeSpan? end)
    {
        string? speaker = null;
        var words = new List<string>();
        foreach (var line in lines)
        {
            var (lineSpeaker, text) = SpeakerAndText(line);
            if (lineSpeaker is not null && words.Count > 0 && lineSpeaker != speaker)
            {
                yield return new TranscriptSegment(speaker, start, end, string.Join(' ', words));
                words.Clear();
            }
            speaker = lineSpeaker ?? speaker;
            if (text.Length > 0) words.Add(text);
        }
        if (words.Count > 0) yield return new TranscriptSegment(speaker, start, end, string.Join(' ', words));
    }

    private static List<TranscriptSegment> ParseLines(string text)
    {
        var segments = new List<TranscriptSegment>();
        foreach (var line in text.Split('\n'))
        {
            if (string.IsNullOrWhiteSpace(line)) continue;
            var stamp = LeadingTime().Match(line);
            var at = stamp.Success ? ParseTime(stamp.Groups["time"].Value) : null;
            var (speaker, words) = SpeakerAndText(stamp.Success ? line[stamp.Length..] : line);
            if (words.Length == 0) continue;
            if (at is null && speaker is null && segments.Count > 0)
            {
                // A wrapped line continues the previous utterance.
                var previous = segments[^1];
                segments[^1] = previous with { Text = previous.Text + " " + words };
                continue;
            }
            segments.Add(new TranscriptSegment(speaker, at ?? (segments.Count > 0 ? segments[^1].Start : TimeSpan.Zero), null, words));
        }
        return segments;
    }

    private static (string? Speaker, string Text) SpeakerAndText(string line)
    {
        var voice = Voice().Match(line);
        if (voice.Success) return (voice.Groups["name"].Value.Trim(), Clean(voice.Groups["rest"].Value));
        var text = Clean(line);
        var named = NamePrefix().Match(text);
        return named.Success ? (named.Groups["name"].Value.Trim(), named.Groups["text"].Value.Trim()) : (null, text);
    }

    private static string Clean(string text) => WebUtility.HtmlDecode(Tags().Replace(text, "")).Trim();

    /// <summary>"hh:mm:ss.fff", "mm:ss.fff" (WebVTT) or "hh:mm:ss,fff" (SRT).</summary>
    private static TimeSpan? ParseTime(string raw)
    {
        var parts = raw.Trim().Replace(',', '.').Split(':');
        if (parts.Length is < 2 or > 3) return null;
        var hours = parts.Length == 3 && int.TryParse(parts[0], CultureInfo.InvariantCulture, out var h) ? h : 0;
        if (!int.TryParse(parts[^2], CultureInfo.InvariantCulture, out var minutes)
            || !double.TryParse(parts[^1], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds))
            return null;
        return TimeSpan.FromHours(hours) + TimeSpan.FromMinutes(minutes) + TimeSpan.FromSeconds(seconds);
    }

    [GeneratedRegex(@"\n[ \t]*\n+")]
    private static partial Regex BlankLines();

    [GeneratedRegex(@"^\s*(?<start>[\d:.,]+)\s*-->\s*(?<end>[\d:.,]+)")]
    private static partial Regex Timing();

    [GeneratedRegex(@"^\s*<v(?:\.[^\s>]*)?\s+(?<name>[^>]+)>(?<rest>.*)$")]
    private static partial Regex Voice();

    [GeneratedRegex(@"<[^>]*>")]
    private static partial Regex Tags();

    // A short leading name ("Dana Scully:", "Agent (Sales):"), not a sentence that happens to hold a colon.
    [GeneratedRegex(@"^(?<name>\p{L}[\p{L}\p{M} .'()\-]{0,39}):\s*(?<text>.+)$")]
    private static partial Regex NamePrefix();

    [GeneratedRegex(@"^\s*[\[(]?(?<time>\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d+)?)[\])]?\s+")]
    private static partial Regex LeadingTime();
}
