using CallImport.ImportJobs;
using CallImport.ImportRunner.Limits;

namespace CallImport.ImportRunner.Platforms.Manual;

/// <summary>
/// Recordings a customer handed over: a folder (local path, <c>file:///…</c> or <c>gs://bucket/prefix</c>)
/// of media files with an optional manifest. The "credentials" hold only <c>location</c>.
/// </summary>
public sealed class ManualUploadContextFactory : IImportContextFactory
{
    public const string LocationKey = "location";

    public string Platform => ImportPlatforms.Manual;

    // Files are read from a folder or our own bucket: no vendor quota to respect.
    public PlatformLimits Limits => PlatformLimits.Unlimited;

    public bool ProvidesMedia => true;

    public IReadOnlyList<string> RequiredCredentialKeys { get; } = ImportPlatforms.RequiredSecretKeys(ImportPlatforms.Manual);

    public IImportContext Create(PlatformCredentials credentials, HttpClient http, ImportContextServices services) =>
        new ManualUploadContext(new Lazy<IUploadFolder>(() => UploadFolderLocation.Open(credentials.Require(LocationKey))), services);
}
