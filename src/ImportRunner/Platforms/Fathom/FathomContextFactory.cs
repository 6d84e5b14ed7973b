using CallImport.ImportJobs;
using CallImport.ImportRunner.Limits;
using CallImport.ImportRunner.Platforms.Auth;

namespace CallImport.ImportRunner.Platforms.Fathom;

/// <summary>Fathom (fathom.video), external API v1: meeting metadata, invitees and transcripts; the API offers no media.</summary>
public sealed class FathomContextFactory : IImportContextFactory
{
    public const string ApiKeyKey = "apiKey";

    public string Platform => ImportPlatforms.Fathom;

    /// <summary>Fathom documents 60 requests per 60 s per user (all of a user's keys together), 429 beyond; no daily cap.</summary>
    public PlatformLimits Limits { get; } = PlatformLimits.PerWindow(60, TimeSpan.FromMinutes(1));

    public bool ProvidesMedia => false;

    public IReadOnlyList<string> RequiredCredentialKeys { get; } = ImportPlatforms.RequiredSecretKeys(ImportPlatforms.Fathom);

    /// <summary>A Fathom API key in <c>X-Api-Key</c>; it does not expire.</summary>
    public IRequestAuthenticator CreateAuthenticator(PlatformCredentials credentials, HttpClient http, ImportContextServices services) =>
        new ApiKeyHeaderAuthenticator(FathomApi.ApiKeyHeader, credentials.Require(ApiKeyKey));

    public IVendorSignals Signals => FathomSignals.Instance;

    public IImportContext Create(PlatformCredentials credentials, HttpClient http, ImportContextServices services)
    {
        credentials.Require(ApiKeyKey);
        return new FathomContext(credentials.BaseUrl(FathomApi.DefaultBaseUrl), http, services);
    }
}
