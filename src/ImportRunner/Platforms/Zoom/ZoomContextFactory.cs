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

    public string Platform => CallImport.ImportJobs.ImportPlatforms.Zoom;

    /// <summary>
    /// Zoom's limits are per account, shared by every app on it, by label: on the Pro plan (the smallest with
    /// cloud recording) Light 30/s, Medium 20/s, Heavy 10/s. The import uses Medium (listings, participants)
    /// and Light (a meeting's recordings), so Medium's 20/s bounds it; no Heavy request, so no daily cap.
    /// Business+ accounts allow 60/80 per second; an ImportJob may only lower this.
    /// </summary>
    public PlatformLimits Limits { get; } = new(RequestsPerSecond: 20, RequestsPerDay: null);

    public bool ProvidesMedia => true;

    public IReadOnlyList<string> RequiredCredentialKeys { get; } = CallImport.ImportJobs.ImportPlatforms.RequiredSecretKeys(CallImport.ImportJobs.ImportPlatforms.Zoom);

    public IImportContext Create(PlatformCredentials credentials, HttpClient http, ImportContextServices services)
    {
        var (api, oauth) = Hosts(credentials);
        var tokens = new ZoomServerToServerTokenSource(oauth, credentials.Require(AccountIdKey), credentials.Require(ClientIdKey),
            credentials.Require(ClientSecretKey), http, services.Time);
        return new ZoomContext(api, new ZoomAccessToken(tokens, services.Time), http, services);
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
