namespace CallImport.ImportRunner.Platforms;

/// <summary>
/// Creates a platform's context. Implementations are discovered by <see cref="ImportContextCatalog"/>
/// by their <see cref="Platform"/> name, so adding a platform touches no shared code.
/// </summary>
public interface IImportContextFactory
{
    /// <summary>The platform's name as in ImportJob's <c>spec.platform</c> (lower case).</summary>
    string Platform { get; }

    /// <summary>The vendor's own limits; an ImportJob may only lower them.</summary>
    PlatformLimits Limits { get; }

    /// <summary>Whether the platform can hand over recordings (shown in the README's platform table).</summary>
    bool ProvidesMedia { get; }

    /// <summary>The credential keys the platform's Secret must hold (besides the optional <c>baseUrl</c>).</summary>
    IReadOnlyList<string> RequiredCredentialKeys { get; }

    /// <summary>Builds a context. <paramref name="http"/> is rate-limited and retrying; its BaseAddress is unset.</summary>
    IImportContext Create(PlatformCredentials credentials, HttpClient http, ImportContextServices services);
}
