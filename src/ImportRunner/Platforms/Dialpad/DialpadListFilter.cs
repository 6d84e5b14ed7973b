using System.Globalization;

namespace CallImport.ImportRunner.Platforms.Dialpad;

/// <summary>
/// The query of Dialpad's <c>GET /api/v2/call</c>, built from a <see cref="CallQuery"/>: the range in UTC epoch
/// milliseconds and the optional target (<c>targetType</c> + <c>targetId</c>, Dialpad's <c>target_type</c>/<c>target_id</c>).
/// An unknown key or value fails before any request is sent.
/// </summary>
internal static class DialpadListFilter
{
    public const string TargetType = "targetType";
    public const string TargetId = "targetId";
    public static readonly IReadOnlyList<string> Supported = [TargetType, TargetId];
    private static readonly string[] TargetTypes = ["callcenter", "callrouter", "channel", "coachinggroup", "coachingteam", "department", "office", "room", "staffgroup", "unknown", "user"];

    /// <summary>Throws <see cref="ArgumentException"/> naming the offending key and the supported ones.</summary>
    public static void Validate(IReadOnlyDictionary<string, string> filters)
    {
        foreach (var key in filters.Keys)
            if (!Supported.Contains(key, StringComparer.Ordinal))
                throw new ArgumentException($"Unknown Dialpad filter '{key}'. Supported filters: {string.Join(", ", Supported)}.", nameof(filters));
        var type = filters.GetValueOrDefault(TargetType);
        var id = filters.GetValueOrDefault(TargetId);
        if (type is not null && !TargetTypes.Contains(type, StringComparer.Ordinal))
            throw new ArgumentException($"Dialpad filter '{TargetType}' must be one of {string.Join(", ", TargetTypes)}, not '{type}'.", nameof(filters));
        if ((type is null) != (id is null))
            throw new ArgumentException($"Dialpad filters '{TargetType}' and '{TargetId}' go together: give both (e.g. targetType: office, targetId: <office id>) or neither.", nameof(filters));
        if (id is not null && !id.All(char.IsAsciiDigit))
            throw new ArgumentException($"Dialpad filter '{TargetId}' must be a numeric Dialpad id, not '{id}'.", nameof(filters));
    }

    public static string QueryString(CallQuery query, string? cursor)
    {
        Validate(query.Filters);
        var parts = new List<string>
        {
            "started_after=" + query.From.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
            "started_before=" + query.To.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
        };
        if (query.Filter(TargetType) is { } type) parts.Add("target_type=" + Uri.EscapeDataString(type));
        if (query.Filter(TargetId) is { } id) parts.Add("target_id=" + Uri.EscapeDataString(id));
        if (cursor is not null) parts.Add("cursor=" + Uri.EscapeDataString(cursor));
        return string.Join('&', parts);
    }
}
