namespace CallImport.ImportRunner.Platforms.Zoom;

/// <summary>
/// Which Zoom listing a <see cref="CallQuery"/> becomes. Without filters: the whole account
/// (<c>accounts/me/recordings</c>: <c>users/me</c> would miss every other host's meetings); with <c>user</c>
/// (a Zoom user id or email): that user's recordings. An unknown key fails before any request is sent.
/// </summary>
internal static class ZoomListFilter
{
    public const string User = "user";
    public static readonly IReadOnlyList<string> Supported = [User];

    /// <summary>Throws <see cref="ArgumentException"/> naming the offending key and the supported ones.</summary>
    public static void Validate(IReadOnlyDictionary<string, string> filters)
    {
        foreach (var (key, value) in filters)
        {
            if (!Supported.Contains(key, StringComparer.Ordinal))
                throw new ArgumentException(
                    $"Unknown Zoom filter '{key}'. Supported filters: {string.Join(", ", Supported)} (a Zoom user id or email).", nameof(filters));
            if (string.IsNullOrWhiteSpace(value))
                throw new ArgumentException($"Zoom filter '{User}' needs a Zoom user id or email.", nameof(filters));
        }
    }

    /// <summary>The listing path for the query, relative to the API base.</summary>
    public static string ListingPath(CallQuery query)
    {
        Validate(query.Filters);
        return query.Filter(User) is { } user
            ? $"users/{Uri.EscapeDataString(user.Trim())}/recordings"
            : "accounts/me/recordings";
    }
}
