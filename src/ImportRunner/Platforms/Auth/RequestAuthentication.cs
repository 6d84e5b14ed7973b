namespace CallImport.ImportRunner.Platforms.Auth;

/// <summary>Per-request switches for the pipeline's authentication.</summary>
public static class RequestAuthentication
{
    /// <summary>Set on a request that must carry no vendor auth: pre-signed media URLs (S3-style hosts refuse it) and token requests.</summary>
    public static readonly HttpRequestOptionsKey<bool> SkipKey = new("callimport.skip-auth");

    public static HttpRequestMessage WithoutAuth(HttpRequestMessage request)
    {
        request.Options.Set(SkipKey, true);
        return request;
    }

    public static bool IsSkipped(HttpRequestMessage request) => request.Options.TryGetValue(SkipKey, out var skip) && skip;
}
