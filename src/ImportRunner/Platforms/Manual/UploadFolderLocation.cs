using CallImport.ImportRunner.Storage;

namespace CallImport.ImportRunner.Platforms.Manual;

/// <summary>Turns the credentials' <c>location</c> into a folder: an absolute path, <c>file:///path</c> or <c>gs://bucket/prefix</c>.</summary>
internal static class UploadFolderLocation
{
    // The location sits in the credentials, so messages describe it without quoting it.
    private const string Expected = "The credentials' 'location' must be an absolute path, file:///absolute/path or gs://bucket/prefix.";

    public static IUploadFolder Open(string location)
    {
        if (location.StartsWith("gs://", StringComparison.OrdinalIgnoreCase))
            return new StorageUploadFolder(MediaStorageLocation.Open(location));
        if (location.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
        {
            if (!Uri.TryCreate(location, UriKind.Absolute, out var uri) || !uri.IsFile)
                throw new CredentialsRejectedException(Expected);
            return new LocalUploadFolder(uri.LocalPath);
        }
        if (location.Contains("://", StringComparison.Ordinal) || !Path.IsPathFullyQualified(location))
            throw new CredentialsRejectedException(Expected);
        return new LocalUploadFolder(location);
    }
}
