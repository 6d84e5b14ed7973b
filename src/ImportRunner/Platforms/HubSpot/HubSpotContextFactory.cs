using CallImport.ImportJobs;
using CallImport.ImportRunner.Limits;
using CallImport.ImportRunner.Platforms.Auth;

namespace CallImport.ImportRunner.Platforms.HubSpot;

/// <summary>HubSpot calls (CRM engagements): metadata, the owner and associated contacts, recordings where reachable, transcripts with OAuth.</summary>
public sealed class HubSpotContextFactory : IImportContextFactory
{
    public const string AccessTokenKey = "accessToken";
    public const string OverallGroup = "overall";
    public const string SearchGroup = "search";

    public string Platform => ImportPlatforms.HubSpot;

    /// <summary>
    /// HubSpot's smallest documented allowance: 100 requests per 10 s (private apps on Free/Starter; OAuth apps get
    /// 110) and 250,000 a day, plus 5 search requests a second (counted in both).
    /// </summary>
    public PlatformLimits Limits { get; } = new(
        [new LimitGroup(OverallGroup, 100, TimeSpan.FromSeconds(10)), new LimitGroup(SearchGroup, 5, TimeSpan.FromSeconds(1))],
        RequestsPerDay: 250_000)
    {
        Classify = request => IsSearch(request) ? [OverallGroup, SearchGroup] : [OverallGroup],
    };

    public bool ProvidesMedia => true;

    public IReadOnlyList<string> RequiredCredentialKeys { get; } = ImportPlatforms.RequiredSecretKeys(ImportPlatforms.HubSpot);

    public IVendorSignals Signals => HubSpotSignals.Instance;

    /// <summary>
    /// The Secret's token as a bearer; with the OAuth refresh keys, tokens from the refresh grant, renewed before they
    /// end (the Secret's <c>accessToken</c>, if any, is then not used, so it is not required).
    /// </summary>
    public IRequestAuthenticator CreateAuthenticator(PlatformCredentials credentials, HttpClient http, ImportContextServices services)
    {
        if (!HubSpotTokenKinds.HasRefreshKeys(credentials)) return new StaticBearerAuthenticator(HubSpotTokenKinds.StaticToken(credentials));
        var source = new HubSpotTokenSource(credentials.BaseUrl(HubSpotApi.DefaultBaseUrl),
            credentials.Require(HubSpotTokenKinds.RefreshTokenKey), credentials.Require(HubSpotTokenKinds.ClientIdKey),
            credentials.Require(HubSpotTokenKinds.ClientSecretKey), http, services.Time);
        return new OAuthTokenAuthenticator(source, services.Time);
    }

    public IImportContext Create(PlatformCredentials credentials, HttpClient http, ImportContextServices services) =>
        new HubSpotContext(credentials.BaseUrl(HubSpotApi.DefaultBaseUrl), HubSpotTokenKinds.Of(credentials), http, services);

    /// <summary><c>POST …/search</c>: HubSpot's search endpoints have their own per-second limit.</summary>
    internal static bool IsSearch(HttpRequestMessage request) =>
        request.Method == HttpMethod.Post && request.RequestUri?.AbsolutePath.EndsWith("/search", StringComparison.Ordinal) == true;
}
