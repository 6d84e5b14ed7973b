namespace CallImport.ImportRunner.Platforms.Fireflies;

/// <summary>
/// The <c>transcripts</c> query's arguments from a <see cref="CallQuery"/>: the range (<c>fromDate</c>/<c>toDate</c>) and
/// the filters, named as Fireflies names its arguments. Fireflies takes only one of <c>organizers</c>,
/// <c>participants</c>, <c>user_id</c> and <c>mine</c> per query. An unknown key or a bad value fails before any request.
/// </summary>
internal static class FirefliesListFilter
{
    public const string Organizers = "organizers";
    public const string Participants = "participants";
    public const string UserId = "user_id";
    public const string Mine = "mine";
    public static readonly IReadOnlyList<string> Supported = [Organizers, Participants, UserId, Mine];

    /// <summary>Throws <see cref="ArgumentException"/> naming the offending key and the supported ones.</summary>
    public static void Validate(IReadOnlyDictionary<string, string> filters)
    {
        foreach (var (key, value) in filters)
        {
            if (!Supported.Contains(key, StringComparer.Ordinal))
                throw new ArgumentException($"Unknown Fireflies filter '{key}'. Supported filters: {string.Join(", ", Supported)}.", nameof(filters));
            if (string.IsNullOrWhiteSpace(value))
                throw new ArgumentException($"Fireflies filter '{key}' is empty: give a value or remove the key.", nameof(filters));
            if (key == Mine && value is not ("true" or "false"))
                throw new ArgumentException($"Fireflies filter '{Mine}' must be 'true' or 'false', not '{value}'.", nameof(filters));
            if (key is Organizers or Participants && Emails(value).FirstOrDefault(e => !e.Contains('@', StringComparison.Ordinal)) is { } bad)
                throw new ArgumentException($"Fireflies filter '{key}' takes comma-separated email addresses; '{bad}' is not one.", nameof(filters));
        }
        if (filters.Count > 1)
            throw new ArgumentException(
                $"Fireflies takes only one of the filters {string.Join(", ", Supported)} at a time; this ImportJob gives {string.Join(" and ", filters.Keys.Order(StringComparer.Ordinal))}. Keep one (or split the import).",
                nameof(filters));
    }

    /// <summary>The filter arguments present, in a stable order.</summary>
    public static IReadOnlyList<string> Arguments(IReadOnlyDictionary<string, string> filters) =>
        [.. Supported.Where(filters.ContainsKey)];

    public static string GraphQLType(string argument) => argument switch
    {
        Organizers or Participants => "[String!]",
        UserId => "String",
        Mine => "Boolean",
        _ => throw new ArgumentOutOfRangeException(nameof(argument), argument, null),
    };

    /// <summary>The variables of one listing page.</summary>
    public static Dictionary<string, object?> Variables(CallQuery query, int limit, int skip)
    {
        Validate(query.Filters);
        var variables = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["fromDate"] = Format(query.From),
            ["toDate"] = Format(query.To),
            ["limit"] = limit,
            ["skip"] = skip,
        };
        foreach (var (key, value) in query.Filters)
            variables[key] = key switch
            {
                Organizers or Participants => Emails(value),
                Mine => value == "true",
                _ => value.Trim(),
            };
        return variables;
    }

    public static string Format(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);

    private static List<string> Emails(string value) =>
        [.. value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
}
