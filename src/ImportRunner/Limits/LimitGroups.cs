namespace CallImport.ImportRunner.Limits;

/// <summary>
/// Tags a request with the limit groups it counts against, overriding the platform's classifier:
/// <c>LimitGroups.Tag(request, "heavy")</c>. An empty tag (<see cref="Unlimited"/>) means the request counts
/// against no vendor limit (a pre-signed download from a storage host).
/// </summary>
public static class LimitGroups
{
    public static readonly HttpRequestOptionsKey<IReadOnlyList<string>> Key = new("callimport.limit-groups");

    public static HttpRequestMessage Tag(HttpRequestMessage request, params string[] groups)
    {
        request.Options.Set(Key, groups);
        return request;
    }

    /// <summary>The request counts against no vendor limit.</summary>
    public static HttpRequestMessage Unlimited(HttpRequestMessage request) => Tag(request);

    public static IReadOnlyList<string>? TagOf(HttpRequestMessage request) =>
        request.Options.TryGetValue(Key, out var groups) ? groups : null;
}
