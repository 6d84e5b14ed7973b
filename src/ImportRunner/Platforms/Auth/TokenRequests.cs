using CallImport.ImportRunner.Limits;

namespace CallImport.ImportRunner.Platforms.Auth;

/// <summary>Marks a token request: no bearer auth applied by the pipeline, counted in the platform's auth group.</summary>
public static class TokenRequests
{
    public static readonly HttpRequestOptionsKey<bool> Key = new("callimport.token-request");

    public static HttpRequestMessage Prepare(HttpRequestMessage request)
    {
        RequestAuthentication.WithoutAuth(request);
        request.Options.Set(Key, true);
        return request;
    }

    public static bool IsTokenRequest(HttpRequestMessage request) => request.Options.TryGetValue(Key, out var isToken) && isToken;
}
