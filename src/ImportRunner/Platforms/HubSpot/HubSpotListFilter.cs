namespace CallImport.ImportRunner.Platforms.HubSpot;

/// <summary>
/// The ImportJob's filters as filters of HubSpot's call search: <c>ownerIds</c> (comma-separated HubSpot owner ids →
/// <c>hubspot_owner_id IN</c>), <c>direction</c> (<c>hs_call_direction</c>) and <c>status</c> (<c>hs_call_status</c>).
/// An unknown key or value fails before any request is sent.
/// </summary>
internal static class HubSpotListFilter
{
    public const string OwnerIds = "ownerIds";
    public const string Direction = "direction";
    public const string Status = "status";
    public static readonly IReadOnlyList<string> Supported = [OwnerIds, Direction, Status];
    private static readonly string[] Directions = ["INBOUND", "OUTBOUND"];
    private static readonly string[] Statuses = ["BUSY", "CALLING_CRM_USER", "CANCELED", "COMPLETED", "CONNECTING", "FAILED", "IN_PROGRESS", "MISSED", "NO_ANSWER", "QUEUED", "RINGING"];

    /// <summary>Throws <see cref="ArgumentException"/> naming the offending key and the supported ones.</summary>
    public static void Validate(IReadOnlyDictionary<string, string> filters) => _ = Filters(filters);

    /// <summary>The search filters besides the time range (AND-ed with it in one filter group).</summary>
    public static IReadOnlyList<HubSpotFilter> Filters(IReadOnlyDictionary<string, string> filters)
    {
        var result = new List<HubSpotFilter>();
        foreach (var (key, value) in filters.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            switch (key)
            {
                case OwnerIds:
                    var ids = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                    if (ids.Length == 0 || ids.Any(id => !id.All(char.IsAsciiDigit)))
                        throw new ArgumentException($"HubSpot filter '{OwnerIds}' takes comma-separated numeric HubSpot owner ids (Settings → Users, or GET /crm/v3/owners), not '{value}'.", nameof(filters));
                    result.Add(new HubSpotFilter("hubspot_owner_id", "IN", Values: ids));
                    break;
                case Direction:
                    result.Add(new HubSpotFilter("hs_call_direction", "EQ", OneOf(key, value, Directions)));
                    break;
                case Status:
                    result.Add(new HubSpotFilter("hs_call_status", "EQ", OneOf(key, value, Statuses)));
                    break;
                default:
                    throw new ArgumentException($"Unknown HubSpot filter '{key}'. Supported filters: {string.Join(", ", Supported)}.", nameof(filters));
            }
        }
        return result;
    }

    private static string OneOf(string key, string value, string[] allowed)
    {
        var upper = value.Trim().ToUpperInvariant();
        return allowed.Contains(upper, StringComparer.Ordinal)
            ? upper
            : throw new ArgumentException($"HubSpot filter '{key}' must be one of {string.Join(", ", allowed)}, not '{value}'.", nameof(value));
    }
}
