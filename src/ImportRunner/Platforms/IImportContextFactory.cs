using CallImport.ImportRunner.Limits;
using CallImport.ImportRunner.Platforms.Auth;

namespace CallImport.ImportRunner.Platforms;

/// <summary>
/// Creates a platform's context. Implementations are discovered by <see cref="ImportContextCatalog"/>
/// by their <see cref="Platform"/> name, so adding a platform touches no shared code.
/// </summary>
public interface IImportContextFactory
{
    /// <summary>The platform's name as in ImportJob's <c>spec.platform</c> (lower case).</summary>
    string Platform { get; }

    /// <summary>The vendor's own limits (groups, classifier, daily cap); an ImportJob may only lower them.</summary>
    PlatformLimits Limits { get; }

    /// <summary>Whether the platform can hand over recordings (shown in the README's platform table).</summary>
    bool ProvidesMedia { get; }

    /// <summary>
    /// The credential keys the platform's Secret must hold (besides the optional <c>baseUrl</c>): always
    /// <c>ImportPlatforms.RequiredSecretKeys(Platform)</c>, which the operator checks too (a test keeps them in step).
    /// </summary>
    IReadOnlyList<string> RequiredCredentialKeys { get; }

    /// <summary>
    /// The auth the HTTP pipeline adds to every request (none by default). <paramref name="http"/> is the same
    /// limited client; token requests made through it must be marked with <see cref="TokenRequests.Prepare"/>.
    /// Throw <see cref="CredentialsRejectedException"/> naming a missing key.
    /// </summary>
    IRequestAuthenticator CreateAuthenticator(PlatformCredentials credentials, HttpClient http, ImportContextServices services) =>
        NoAuthenticator.Instance;

    /// <summary>How the pipeline reads the vendor's answers (throttled, transient, final); HTTP's own signals by default.</summary>
    IVendorSignals Signals => VendorSignals.Default;

    /// <summary>
    /// Builds a context. <paramref name="http"/> is rate-limited, retrying and authenticated (by
    /// <see cref="CreateAuthenticator"/>); its BaseAddress is unset.
    /// </summary>
    IImportContext Create(PlatformCredentials credentials, HttpClient http, ImportContextServices services);
}
