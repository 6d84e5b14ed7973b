using CallImport.ImportJobs;
using CallImport.ImportRunner.Limits;
using CallImport.ImportRunner.Platforms.Auth;

namespace CallImport.ImportRunner.Platforms.RingCentral;

/// <summary>RingCentral: the account's call log (one engagement per telephony session) and its recordings; no transcripts.</summary>
public sealed class RingCentralContextFactory : IImportContextFactory
{
    public const string ClientIdKey = "clientId";
    public const string ClientSecretKey = "clientSecret";
    public const string JwtKey = "jwt";

    public string Platform => ImportPlatforms.RingCentral;

    public PlatformLimits Limits => RingCentralLimits.Default;

    public bool ProvidesMedia => true;

    public IReadOnlyList<string> RequiredCredentialKeys { get; } = ImportPlatforms.RequiredSecretKeys(ImportPlatforms.RingCentral);

    public IVendorSignals Signals => RingCentralSignals.Instance;

    /// <summary>JWT grant → bearer token, refreshed 5 minutes before it expires with the single-use refresh token.</summary>
    public IRequestAuthenticator CreateAuthenticator(PlatformCredentials credentials, HttpClient http, ImportContextServices services) =>
        new OAuthTokenAuthenticator(
            new RingCentralTokenSource(
                RingCentralHosts.From(credentials).Platform,
                credentials.Require(ClientIdKey),
                credentials.Require(ClientSecretKey),
                credentials.Require(JwtKey),
                http,
                services.Time),
            services.Time);

    public IImportContext Create(PlatformCredentials credentials, HttpClient http, ImportContextServices services)
    {
        foreach (var key in RequiredCredentialKeys) credentials.Require(key);
        return new RingCentralContext(RingCentralHosts.From(credentials), http, services);
    }
}
