namespace CallImport.ImportRunner.Platforms.RingCentral;

/// <summary>
/// RingCentral's filters: <c>direction</c> (Inbound or Outbound, passed to the call log) and <c>extensionId</c>
/// (one extension's call log, <c>/account/~/extension/{id}/call-log</c>, instead of the account's). An unknown
/// key or value fails before any request, so a typo in an ImportJob never silently imports everything.
/// </summary>
internal static class RingCentralListFilter
{
    public const string Direction = "direction";
    public const string ExtensionId = "extensionId";
    public static readonly IReadOnlyList<string> Supported = [Direction, ExtensionId];
    private static readonly string[] Directions = ["Inbound", "Outbound"];

    /// <summary>Throws <see cref="ArgumentException"/> naming the offending key and the supported ones.</summary>
    public static void Validate(IReadOnlyDictionary<string, string> filters)
    {
        foreach (var (key, value) in filters)
        {
            if (!Supported.Contains(key, StringComparer.Ordinal))
                throw new ArgumentException(
                    $"Unknown RingCentral filter '{key}'. Supported filters: {string.Join(", ", Supported)}.", nameof(filters));
            if (key == Direction && !Directions.Contains(value, StringComparer.Ordinal))
                throw new ArgumentException(
                    $"RingCentral filter '{Direction}' must be one of {string.Join(", ", Directions)}, not '{value}'.", nameof(filters));
            if (key == ExtensionId && (value.Length == 0 || !value.All(char.IsAsciiDigit)))
                throw new ArgumentException(
                    $"RingCentral filter '{ExtensionId}' must be an extension's numeric id (as in the extension's URI), not '{value}'.", nameof(filters));
        }
    }

    /// <summary>The first page's path and query: account-wide (or one extension), Detailed view, Voice calls, dateFrom always sent.</summary>
    public static string FirstPage(CallQuery query)
    {
        Validate(query.Filters);
        var path = query.Filter(ExtensionId) is { } extension ? RingCentralApi.ExtensionCallLogPath(extension) : RingCentralApi.AccountCallLogPath;
        var parameters = new List<string>
        {
            "view=Detailed",
            "type=Voice",
            // RingCentral defaults dateFrom to 24 hours before dateTo: without it a year's import is one day.
            "dateFrom=" + Uri.EscapeDataString(Format(query.From)),
            "dateTo=" + Uri.EscapeDataString(Format(query.To)),
            "perPage=" + RingCentralApi.PerPage,
            "page=1",
        };
        if (query.Filter(Direction) is { } direction) parameters.Add("direction=" + direction);
        return $"{path}?{string.Join('&', parameters)}";
    }

    public static string Format(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);
}
