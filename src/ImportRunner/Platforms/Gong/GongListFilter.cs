namespace CallImport.ImportRunner.Platforms.Gong;

/// <summary>
/// An ImportJob's Gong filters: <c>workspaceId</c> (sent to Gong with the listing) and
/// <c>primaryUserIds</c> (comma-separated Gong user ids; <c>GET /v2/calls</c> has no such parameter, so
/// the listing keeps the calls whose <c>primaryUserId</c> is one of them). Unknown keys fail before any
/// request is sent, so a typo never silently imports everything.
/// </summary>
internal sealed record GongListFilter(string? WorkspaceId, IReadOnlySet<string>? PrimaryUserIds)
{
    public const string WorkspaceIdKey = "workspaceId";
    public const string PrimaryUserIdsKey = "primaryUserIds";
    public static readonly IReadOnlyList<string> Supported = [WorkspaceIdKey, PrimaryUserIdsKey];

    /// <summary>Throws <see cref="ArgumentException"/> naming the offending key and the supported ones.</summary>
    public static GongListFilter From(IReadOnlyDictionary<string, string> filters)
    {
        string? workspace = null;
        HashSet<string>? users = null;
        foreach (var (key, value) in filters)
        {
            switch (key)
            {
                case WorkspaceIdKey:
                    workspace = value.Trim();
                    if (!IsGongId(workspace))
                        throw new ArgumentException($"Gong filter '{WorkspaceIdKey}' must be a Gong workspace id (digits only), not '{value}'.", nameof(filters));
                    break;
                case PrimaryUserIdsKey:
                    users = [.. value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
                    if (users.Count == 0 || users.Any(u => !IsGongId(u)))
                        throw new ArgumentException(
                            $"Gong filter '{PrimaryUserIdsKey}' must be comma-separated Gong user ids (digits only); '{value}' is not.", nameof(filters));
                    break;
                default:
                    throw new ArgumentException($"Unknown Gong filter '{key}'. Supported filters: {string.Join(", ", Supported)}.", nameof(filters));
            }
        }
        return new GongListFilter(workspace, users);
    }

    public bool Keeps(GongCallMetaData call) =>
        PrimaryUserIds is null || (call.PrimaryUserId is { } user && PrimaryUserIds.Contains(user));

    /// <summary>Ids stay text: checked for digits, never converted to a number.</summary>
    private static bool IsGongId(string value) => value.Length is > 0 and <= 40 && value.All(char.IsAsciiDigit);
}
