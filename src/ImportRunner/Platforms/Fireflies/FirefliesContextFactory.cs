using CallImport.ImportJobs;
using CallImport.ImportRunner.Limits;
using CallImport.ImportRunner.Platforms.Auth;

namespace CallImport.ImportRunner.Platforms.Fireflies;

/// <summary>Fireflies.ai (GraphQL API): meeting metadata, participants' emails, transcripts (sentences) and audio recordings.</summary>
public sealed class FirefliesContextFactory : IImportContextFactory
{
    public const string ApiKeyKey = "apiKey";

    public string Platform => ImportPlatforms.Fireflies;

    /// <summary>
    /// Business and Enterprise plans: 60 requests a minute per key, no daily cap. Free and Pro keys allow 50 requests a
    /// day: such an ImportJob sets <c>spec.rateLimit.requestsPerDay: 50</c> (the shared daily quota then holds it), and
    /// without it Fireflies' own <c>too_many_requests</c> with a next-day <c>retryAfter</c> stops the run until then.
    /// </summary>
    public PlatformLimits Limits { get; } = PlatformLimits.PerWindow(60, TimeSpan.FromMinutes(1));

    public bool ProvidesMedia => true;

    public IReadOnlyList<string> RequiredCredentialKeys { get; } = ImportPlatforms.RequiredSecretKeys(ImportPlatforms.Fireflies);

    /// <summary>A Fireflies API key as a bearer token (it does not expire).</summary>
    public IRequestAuthenticator CreateAuthenticator(PlatformCredentials credentials, HttpClient http, ImportContextServices services) =>
        new StaticBearerAuthenticator(credentials.Require(ApiKeyKey));

    public IVendorSignals Signals => FirefliesSignals.Instance;

    /// <summary>The listing's <c>limit</c>: Fireflies' maximum, 50 (tests ask for less to see many pages).</summary>
    internal int PageSize { get; init; } = FirefliesApi.MaxPageSize;

    public IImportContext Create(PlatformCredentials credentials, HttpClient http, ImportContextServices services)
    {
        credentials.Require(ApiKeyKey);
        return new FirefliesContext(credentials.BaseUrl(FirefliesApi.DefaultBaseUrl), http, services, PageSize);
    }
}
