namespace CallImport.ImportRunner.Platforms.Fathom;

/// <summary>
/// The query of Fathom's <c>GET /meetings</c>, built from a <see cref="CallQuery"/>. Filter keys are Fathom's
/// own parameter names; list-valued ones take a comma-separated value. An unknown key or value fails before
/// any request is sent, so a typo in an ImportJob never silently imports everything.
/// </summary>
internal static class FathomListFilter
{
    public const string RecordedBy = "recorded_by";
    public const string Teams = "teams";
    public const string InviteeDomains = "calendar_invitees_domains";
    public const string InviteeDomainsType = "calendar_invitees_domains_type";
    public static readonly IReadOnlyList<string> Supported = [RecordedBy, Teams, InviteeDomains, InviteeDomainsType];
    private static readonly string[] DomainsTypes = ["all", "only_internal", "one_or_more_external"];

    /// <summary>
    /// Fathom filters on <c>created_at</c> (when it stored the meeting: just after the recording ended, later when
    /// processing lags), not on the meeting's start. The listing asks from a day before the range's start (clock
    /// skew, meetings stored as they start) to a week after its end (long meetings, processing backlogs), and the
    /// context keeps only meetings whose recording started inside the range.
    /// </summary>
    public static readonly TimeSpan WidenBefore = TimeSpan.FromDays(1);
    public static readonly TimeSpan WidenAfter = TimeSpan.FromDays(7);

    /// <summary>Throws <see cref="ArgumentException"/> naming the offending key and the supported ones.</summary>
    public static void Validate(IReadOnlyDictionary<string, string> filters)
    {
        foreach (var (key, value) in filters)
        {
            if (!Supported.Contains(key, StringComparer.Ordinal))
                throw new ArgumentException(
                    $"Unknown Fathom filter '{key}'. Supported filters: {string.Join(", ", Supported)}.", nameof(filters));
            if (key == InviteeDomainsType && !DomainsTypes.Contains(value, StringComparer.Ordinal))
                throw new ArgumentException(
                    $"Fathom filter '{InviteeDomainsType}' must be one of {string.Join(", ", DomainsTypes)}, not '{value}'.", nameof(filters));
            if (Values(value).Count == 0)
                throw new ArgumentException($"Fathom filter '{key}' is empty: give a value or remove the key.", nameof(filters));
        }
    }

    /// <summary>The query string (without '?') of one listing page.</summary>
    public static string QueryString(CallQuery query, string? cursor, bool includeTranscript)
    {
        Validate(query.Filters);
        var parts = new List<string>
        {
            "created_after=" + Format(query.From - WidenBefore),
            "created_before=" + Format(query.To + WidenAfter),
        };
        if (includeTranscript) parts.Add("include_transcript=true");
        foreach (var (key, value) in query.Filters.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            if (key == InviteeDomainsType) parts.Add($"{key}={Uri.EscapeDataString(value)}");
            else parts.AddRange(Values(value).Select(v => $"{Uri.EscapeDataString(key + "[]")}={Uri.EscapeDataString(v)}"));
        }
        if (cursor is not null) parts.Add("cursor=" + Uri.EscapeDataString(cursor));
        return string.Join('&', parts);
    }

    public static string Format(DateTimeOffset time) =>
        Uri.EscapeDataString(time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture));

    private static List<string> Values(string value) =>
        [.. value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
}
