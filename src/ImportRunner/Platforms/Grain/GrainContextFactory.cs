using CallImport.ImportJobs;
using CallImport.ImportRunner.Limits;
using CallImport.ImportRunner.Platforms.Auth;

namespace CallImport.ImportRunner.Platforms.Grain;

/// <summary>Grain (grain.com), public API v2: metadata, participants and transcripts; v2 offers no media.</summary>
public sealed class GrainContextFactory : IImportContextFactory
{
    public const string ApiKeyKey = "apiKey";

    public string Platform => ImportPlatforms.Grain;

    /// <summary>
    /// Grain documents no limit; clients observe <c>x-ratelimit-limit: 30</c> per 20 s window with 429 and
    /// Retry-After beyond it, and no daily cap. One group for every request.
    /// </summary>
    public PlatformLimits Limits { get; } = PlatformLimits.PerWindow(30, TimeSpan.FromSeconds(20));

    public bool ProvidesMedia => false;

    public IReadOnlyList<string> RequiredCredentialKeys { get; } = ImportPlatforms.RequiredSecretKeys(ImportPlatforms.Grain);

    /// <summary>Grain's personal access token or workspace key, as a bearer token that does not expire.</summary>
    public IRequestAuthenticator CreateAuthenticator(PlatformCredentials credentials, HttpClient http, ImportContextServices services) =>
        new StaticBearerAuthenticator(credentials.Require(ApiKeyKey));

    public IImportContext Create(PlatformCredentials credentials, HttpClient http, ImportContextServices services)
    {
        credentials.Require(ApiKeyKey);
        return new GrainContext(credentials.BaseUrl(GrainApi.DefaultBaseUrl), http, services);
    }
}
