using CallImport.ImportJobs;
using CallImport.ImportRunner.Limits;
using CallImport.ImportRunner.Platforms.Auth;

namespace CallImport.ImportRunner.Platforms.Dialpad;

/// <summary>Dialpad (dialpad.com), API v2: call metadata, both parties, recordings and Dialpad Ai transcripts.</summary>
public sealed class DialpadContextFactory : IImportContextFactory
{
    public const string ApiKeyKey = "apiKey";
    public const string OverallGroup = "overall";
    public const string GetCallGroup = "get-call";

    public string Platform => ImportPlatforms.Dialpad;

    /// <summary>
    /// Dialpad documents 20 requests/s per company and 10 a minute for get-call (which also counts in the 20/s);
    /// its list and transcript limits (1,200/min) are above 20/s and need no group of their own.
    /// </summary>
    public PlatformLimits Limits { get; } = new([new LimitGroup(OverallGroup, 20, TimeSpan.FromSeconds(1)), new LimitGroup(GetCallGroup, 10, TimeSpan.FromMinutes(1))])
    {
        Classify = request => IsGetCall(request) ? [OverallGroup, GetCallGroup] : [OverallGroup],
    };

    public bool ProvidesMedia => true;

    public IReadOnlyList<string> RequiredCredentialKeys { get; } = ImportPlatforms.RequiredSecretKeys(ImportPlatforms.Dialpad);

    /// <summary>A company-admin API key as a bearer token (it does not expire).</summary>
    public IRequestAuthenticator CreateAuthenticator(PlatformCredentials credentials, HttpClient http, ImportContextServices services) =>
        new StaticBearerAuthenticator(credentials.Require(ApiKeyKey));

    public IImportContext Create(PlatformCredentials credentials, HttpClient http, ImportContextServices services)
    {
        credentials.Require(ApiKeyKey);
        return new DialpadContext(credentials.BaseUrl(DialpadApi.DefaultBaseUrl), http, services);
    }

    /// <summary><c>GET …/call/{id}</c>: the path's last two segments are "call" and an id.</summary>
    internal static bool IsGetCall(HttpRequestMessage request) =>
        request.Method == HttpMethod.Get && request.RequestUri?.Segments is [.., var call, var id]
        && call.Equals("call/", StringComparison.Ordinal) && !id.EndsWith('/');
}
