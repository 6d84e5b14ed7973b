using System.Globalization;

namespace CallImport.ImportRunner.Platforms.Grain;

/// <summary>
/// The <c>filter</c> object of Grain's recordings listing, built from a <see cref="CallQuery"/>.
/// Filter keys are Grain's own names; an unknown key or value fails before any request is sent, so a
/// typo in an ImportJob never silently imports everything.
/// </summary>
internal static class GrainListFilter
{
    public const string ParticipantScope = "participant_scope";
    public static readonly IReadOnlyList<string> Supported = [ParticipantScope, "title_search", "team", "meeting_type"];
    private static readonly string[] Scopes = ["internal", "external"];

    /// <summary>Throws <see cref="ArgumentException"/> naming the offending key and the supported ones.</summary>
    public static void Validate(IReadOnlyDictionary<string, string> filters)
    {
        foreach (var (key, value) in filters)
        {
            if (!Supported.Contains(key, StringComparer.Ordinal))
                throw new ArgumentException(
                    $"Unknown Grain filter '{key}'. Supported filters: {string.Join(", ", Supported)}.", nameof(filters));
            if (key == ParticipantScope && !Scopes.Contains(value, StringComparer.Ordinal))
                throw new ArgumentException(
                    $"Grain filter '{ParticipantScope}' must be one of {string.Join(", ", Scopes)}, not '{value}'.", nameof(filters));
        }
    }

    public static Dictionary<string, string> For(CallQuery query)
    {
        Validate(query.Filters);
        var filter = new Dictionary<string, string>(query.Filters, StringComparer.Ordinal)
        {
            ["after_datetime"] = Format(query.From),
            ["before_datetime"] = Format(query.To),
        };
        return filter;
    }

    public static string Format(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
