namespace CallImport.ImportRunner.Platforms.Manual;

/// <summary>The ImportJob's <c>filters</c> for manual uploads. Unknown keys are refused rather than ignored.</summary>
internal sealed record ManualUploadFilters(string? PathPrefix)
{
    public const string PathPrefixKey = "pathPrefix";

    public static ManualUploadFilters From(CallQuery query)
    {
        var unknown = query.Filters.Keys.Where(k => k != PathPrefixKey).Order(StringComparer.Ordinal).ToList();
        if (unknown.Count > 0)
            throw new ArgumentException(
                $"Unknown filter(s) for platform 'manual': {string.Join(", ", unknown)}. Supported: {PathPrefixKey}.", nameof(query));

        var raw = query.Filter(PathPrefixKey);
        if (string.IsNullOrWhiteSpace(raw)) return new ManualUploadFilters((string?)null);
        // "/calls/2026/" reads as a folder from the upload's root, as people write it.
        var prefix = UploadPath.Normalize(raw.Trim().TrimStart('/'))
            ?? throw new ArgumentException($"Filter '{PathPrefixKey}' must be a folder inside the upload folder (no '..', not absolute).", nameof(query));
        return new ManualUploadFilters(prefix);
    }

    public bool Includes(string path) => PathPrefix is null || path.StartsWith(PathPrefix + "/", StringComparison.Ordinal);
}
