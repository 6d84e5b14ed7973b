namespace CallImport.ImportRunner.Platforms.Grain;

/// <summary>Grain (grain.com), public API v2: metadata, participants and transcripts; v2 offers no media.</summary>
public sealed class GrainContextFactory : IImportContextFactory
{
    public const string ApiKeyKey = "apiKey";

    public string Platform => "grain";

    /// <summary>
    /// Grain documents no limit; clients observe about 30 requests per 20 s window (1.5/s) with 429 and
    /// Retry-After beyond it, and no daily cap.
    /// </summary>
    public PlatformLimits Limits { get; } = new(RequestsPerSecond: 1.5, RequestsPerDay: null);

    public bool ProvidesMedia => false;

    public IReadOnlyList<string> RequiredCredentialKeys { get; } = [ApiKeyKey];

    public IImportContext Create(PlatformCredentials credentials, HttpClient http, ImportContextServices services) =>
        new GrainContext(
            credentials.BaseUrl(GrainApi.DefaultBaseUrl),
            credentials.Require(ApiKeyKey),
            http,
            services);
}
