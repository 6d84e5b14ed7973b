using CallImport.ImportJobs;
using CallImport.ImportRunner.Limits;
using CallImport.ImportRunner.Platforms.Auth;

namespace CallImport.ImportRunner.Platforms.Zoom;

/// <summary>
/// Zoom cloud recordings through a Server-to-Server OAuth app: metadata, participants, the MP4 (or M4A)
/// recording and the audio transcript.
/// </summary>
public sealed class ZoomContextFactory : IImportContextFactory
{
    public const string AccountIdKey = "accountId";
    public const string ClientIdKey = "clientId";
    public const string ClientSecretKey = "clientSecret";

    public const string Medium = "medium";
    public const string Light = "light";

    public string Platform => ImportPlatforms.Zoom;

    /// <summary>
    /// Zoom's limits are per account, shared by every app on it, by rate-limit label; on the Pro plan (the
    /// smallest with cloud recording) Light 30/s and Medium 20/s (Heavy 10/s and 30,000/day: the import sends
    /// none). Listings and past participants are Medium, a meeting's recordings Light (Zoom's API reference).
    /// Token requests count as Light; downloads from <c>download_url</c> are not API calls Zoom labels and count
    /// in no group (the job's concurrency bounds them). Business+ accounts allow 80/60 per second; an ImportJob
    /// may only lower these.
    /// </summary>
    public PlatformLimits Limits { get; } = new([new LimitGroup(Medium, 20, TimeSpan.FromSeconds(1)), new LimitGroup(Light, 30, TimeSpan.FromSeconds(1))])
    {
        Classify = ZoomApi.LimitGroupOf,
        AuthGroup = Light,
    };

    public bool ProvidesMedia => true;

    public IReadOnlyList<string> RequiredCredentialKeys { get; } = ImportPlatforms.RequiredSecretKeys(ImportPlatforms.Zoom);

    /// <summary>A one-hour bearer token from the server-to-server grant, asked for again before it ends (there is no refresh token).</summary>
    public IRequestAuthenticator CreateAuthenticator(PlatformCredentials credentials, HttpClient http, ImportContextServices services) =>
        new OAuthTokenAuthenticator(new ZoomServerToServerTokenSource(Hosts(credentials).OAuthToken, credentials.Require(AccountIdKey),
            credentials.Require(ClientIdKey), credentials.Require(ClientSecretKey), http, services.Time), services.Time);

    public IVendorSignals Signals => ZoomSignals.Instance;

    public IImportContext Create(PlatformCredentials credentials, HttpClient http, ImportContextServices services)
    {
        foreach (var key in RequiredCredentialKeys) credentials.Require(key);
        return new ZoomContext(Hosts(credentials).Api, http, services);
    }

    /// <summary>
    /// The API base and the OAuth token URL. Without <c>baseUrl</c>: api.zoom.us/v2/ and zoom.us/oauth/token.
    /// With it, both move there: <c>{baseUrl}v2/</c> and <c>{baseUrl}oauth/token</c> (one local server or proxy stands in for both hosts).
    /// </summary>
    internal static (Uri Api, Uri OAuthToken) Hosts(PlatformCredentials credentials)
    {
        if (credentials.Optional(PlatformCredentials.BaseUrlKey) is null)
            return (new Uri(ZoomApi.DefaultApiBaseUrl), new Uri(ZoomApi.DefaultOAuthTokenUrl));
        var baseUrl = credentials.BaseUrl(ZoomApi.DefaultApiBaseUrl);
        return (new Uri(baseUrl, "v2/"), new Uri(baseUrl, "oauth/token"));
    }
}
