namespace CallImport.ImportRunner.Platforms;

/// <summary>Which calls to list: a half-open date range [From, To) and platform-specific filters.</summary>
public sealed record CallQuery(DateTimeOffset From, DateTimeOffset To, IReadOnlyDictionary<string, string> Filters)
{
    public string? Filter(string key) => Filters.TryGetValue(key, out var value) ? value : null;
}
