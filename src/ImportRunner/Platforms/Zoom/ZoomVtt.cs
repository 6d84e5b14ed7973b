using System.Globalization;

namespace CallImport.ImportRunner.Platforms.Zoom;

/// <summary>
/// Zoom's TRANSCRIPT file: WebVTT whose cues read "Speaker Name: what they said". Cue numbers, NOTE and
/// STYLE blocks and cue settings are ignored; a cue without a "Name: " prefix has no speaker.
/// </summary>
internal static class ZoomVtt
{
    /// <summary>Speaker prefixes longer than this are taken as part of the text ("Note: ..." inside a long sentence).</summary>
    private const int MaxSpeakerLength = 80;

    public static Transcript? Parse(string vtt)
    {
        var segments = new List<TranscriptSegment>();
        var blocks = vtt.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n').Split("\n\n", StringSplitOptions.RemoveEmptyEntries);
        foreach (var block in blocks)
        {
            var lines = block.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            var timing = Array.FindIndex(lines, l => l.Contains("-->", StringComparison.Ordinal));
            if (timing < 0) continue; // header, NOTE, STYLE
            var times = lines[timing].Split("-->", 2, StringSplitOptions.TrimEntries);
            if (!TryTime(times[0], out var start)) continue;
            TimeSpan? end = TryTime(times[1].Split(' ', 2)[0], out var e) ? e : null;
            var text = string.Join(' ', lines.Skip(timing + 1)).Trim();
            if (text.Length == 0) continue;
            var colon = text.IndexOf(": ", StringComparison.Ordinal);
            var (speaker, said) = colon > 0 && colon <= MaxSpeakerLength ? (text[..colon].Trim(), text[(colon + 2)..].Trim()) : (null, text);
            if (said.Length == 0) continue;
            segments.Add(new TranscriptSegment(speaker, start, end, said));
        }
        return segments.Count == 0 ? null : new Transcript(segments);
    }

    /// <summary>hh:mm:ss.fff or mm:ss.fff (WebVTT allows both); a comma is accepted for the SRT habit.</summary>
    private static bool TryTime(string text, out TimeSpan time)
    {
        string[] formats = [@"hh\:mm\:ss\.fff", @"mm\:ss\.fff", @"hh\:mm\:ss\,fff", @"h\:mm\:ss\.fff", @"hhh\:mm\:ss\.fff"];
        return TimeSpan.TryParseExact(text.Trim(), formats, CultureInfo.InvariantCulture, out time);
    }
}
