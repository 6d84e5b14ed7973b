using CallImport.ImportJobs;
using CallImport.ImportRunner.Limits;
using CallImport.ImportRunner.Platforms.Auth;

namespace CallImport.ImportRunner.Platforms.Gong;

/// <summary>
/// Gong (gong.io), API v2 on the tenant's own host: calls, parties with Gong's affiliation, transcripts
/// and recordings (signed media URLs). Basic accessKey:accessKeySecret, or an OAuth access token.
/// </summary>
public sealed class GongContextFactory : IImportContextFactory
{
    public const string AccessKeyKey = "accessKey";
    public const string AccessKeySecretKey = "accessKeySecret";

    /// <summary>Optional: an OAuth access token (scopes api:calls:read:extensive, :transcript, :media-url); when given it is used instead of the key pair.</summary>
    public const string AccessTokenKey = "accessToken";

    public string Platform => ImportPlatforms.Gong;

    /// <summary>"3 calls per second and 10,000 calls per day" per company (Gong API introduction); 429 + Retry-After beyond.</summary>
    public PlatformLimits Limits { get; } = PlatformLimits.PerWindow(3, TimeSpan.FromSeconds(1), requestsPerDay: 10_000);

    public bool ProvidesMedia => true;

    public IReadOnlyList<string> RequiredCredentialKeys { get; } = ImportPlatforms.RequiredSecretKeys(ImportPlatforms.Gong);

    public IRequestAuthenticator CreateAuthenticator(PlatformCredentials credentials, HttpClient http, ImportContextServices services) =>
        credentials.Optional(AccessTokenKey) is { } token
            ? new StaticBearerAuthenticator(token)
            : new BasicAuthenticator(credentials.Require(AccessKeyKey), credentials.Require(AccessKeySecretKey));

    public IImportContext Create(PlatformCredentials credentials, HttpClient http, ImportContextServices services)
    {
        // Fail on a missing key before any request, naming it.
        _ = CreateAuthenticator(credentials, http, services);
        return new GongContext(TenantHost(credentials), http, services);
    }

    /// <summary>The tenant host: <c>baseUrl</c> as Gong shows it, with or without its <c>/v2</c>.</summary>
    internal static Uri TenantHost(PlatformCredentials credentials)
    {
        var url = credentials.BaseUrl(GongApi.DefaultBaseUrl);
        return url.AbsolutePath.TrimEnd('/').EndsWith("/v2", StringComparison.OrdinalIgnoreCase)
            ? new Uri(url, "..")
            : url;
    }
}
