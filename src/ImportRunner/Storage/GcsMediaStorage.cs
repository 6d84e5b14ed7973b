using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using CallImport.ImportRunner.Platforms;
using Google.Cloud.Storage.V1;

namespace CallImport.ImportRunner.Storage;

/// <summary>
/// Media in Google Cloud Storage under <c>gs://bucket/prefix</c>. Uploads are resumable and streamed in chunks
/// (only one chunk is in memory at a time), then checked: the object's size against the bytes read (and the
/// expected length), its MD5 against the one computed while streaming. Downloads go to a temp file, not memory.
/// </summary>
public sealed class GcsMediaStorage : IMediaStorage
{
    /// <summary>Chunk size of resumable uploads: large enough for throughput, small enough to hold in memory.</summary>
    public const int DefaultChunkSize = 8 * 1024 * 1024;

    private readonly StorageClient _client;
    private readonly string _bucket;
    private readonly string _prefix;
    private readonly int _chunkSize;

    private GcsMediaStorage(StorageClient client, string bucket, string prefix, int chunkSize)
    {
        _client = client;
        _bucket = bucket;
        _prefix = prefix.Trim('/');
        _chunkSize = chunkSize;
    }

    /// <param name="endpoint">A GCS-compatible server (<c>http://host:port/storage/v1/</c>), used without credentials;
    /// null for Google Cloud Storage with Application Default Credentials.</param>
    public static IMediaStorage Create(string bucket, string prefix, string? endpoint) =>
        Create(bucket, prefix, endpoint, DefaultChunkSize);

    /// <param name="chunkSize">Resumable upload chunk size, a multiple of 256 KiB.</param>
    public static IMediaStorage Create(string bucket, string prefix, string? endpoint, int chunkSize)
    {
        ArgumentException.ThrowIfNullOrEmpty(bucket);
        if (chunkSize <= 0 || chunkSize % UploadObjectOptions.MinimumChunkSize != 0)
            throw new ArgumentOutOfRangeException(nameof(chunkSize), chunkSize, "The chunk size must be a positive multiple of 256 KiB.");
        return new GcsMediaStorage(CreateClient(bucket, endpoint), bucket, prefix ?? "", chunkSize);
    }

    public async Task<StoredMedia> PutAsync(string objectName, Stream content, string contentType, long? expectedLength, CancellationToken cancellationToken)
    {
        var name = ObjectPath(objectName);
        await using var checksummed = new ChecksummingReadStream(content);
        Google.Apis.Storage.v1.Data.Object uploaded;
        try
        {
            uploaded = await _client.UploadObjectAsync(_bucket, name, contentType, checksummed,
                new UploadObjectOptions { ChunkSize = _chunkSize }, cancellationToken).ConfigureAwait(false);
        }
        catch when (checksummed.SourceFailure is { } sourceFailure)
        {
            ExceptionDispatchInfo.Throw(sourceFailure);
            throw;
        }
        catch (Exception error) when (IsChecksumRejection(error))
        {
            // The store refused the bytes it received against the checksum the client sent: nothing was created.
            throw new MediaIntegrityException($"gs://{_bucket}/{name}: the storage received different bytes than were sent ({error.Message}).");
        }
        catch (Exception error) when (!cancellationToken.IsCancellationRequested)
        {
            throw GcsFailures.Translate(error, _bucket, $"upload gs://{_bucket}/{name}");
        }

        var problem = IntegrityProblem(uploaded, checksummed.BytesRead, checksummed.Md5Base64, expectedLength);
        if (problem is not null)
        {
            await DeleteQuietlyAsync(name).ConfigureAwait(false);
            throw new MediaIntegrityException($"gs://{_bucket}/{name}: {problem}; the object was deleted.");
        }
        return new StoredMedia(Uri(name), checksummed.BytesRead, checksummed.Md5Base64);
    }

    public async Task CheckWritableAsync(CancellationToken cancellationToken)
    {
        var name = ObjectPath($".callimport-write-check/{Guid.NewGuid():N}");
        try
        {
            using var probe = new MemoryStream([1]);
            await _client.UploadObjectAsync(_bucket, name, "application/octet-stream", probe, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (Exception error) when (!cancellationToken.IsCancellationRequested)
        {
            throw new StorageUnusableException(
                $"The media storage gs://{_bucket}/{_prefix} is not writable ({GcsFailures.Translate(error, _bucket, "write a probe object").Message}). " +
                "Check the bucket exists and the service account may create objects in it (roles/storage.objectAdmin).", error);
        }
        await DeleteQuietlyAsync(name).ConfigureAwait(false);
    }

    /// <summary>Nothing to do: an upload is complete (and durable at the store) once the store has answered it.</summary>
    public Task MakeDurableAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Nothing to do: an interrupted resumable upload creates no object, and GCS drops its session after a week.</summary>
    public Task<int> RemoveAbandonedAsync(string prefix, DateTimeOffset writtenBefore, CancellationToken cancellationToken) => Task.FromResult(0);

    public async Task<StoredMedia?> FindAsync(string objectName, CancellationToken cancellationToken)
    {
        var name = ObjectPath(objectName);
        try
        {
            var found = await _client.GetObjectAsync(_bucket, name, cancellationToken: cancellationToken).ConfigureAwait(false);
            return new StoredMedia(Uri(name), (long)(found.Size ?? 0), found.Md5Hash);
        }
        catch (Exception error) when (GcsFailures.IsNotFound(error))
        {
            return null;
        }
        catch (Exception error) when (!cancellationToken.IsCancellationRequested)
        {
            throw GcsFailures.Translate(error, _bucket, $"read gs://{_bucket}/{name}");
        }
    }

    public async Task<Stream> OpenReadAsync(string objectName, CancellationToken cancellationToken)
    {
        var name = ObjectPath(objectName);
        // A temp file rather than memory: recordings can be gigabytes. It disappears when the caller closes the stream.
        var buffer = new FileStream(Path.Combine(Path.GetTempPath(), "callimport-gcs-" + Guid.NewGuid().ToString("N")),
            FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        try
        {
            await _client.DownloadObjectAsync(_bucket, name, buffer, cancellationToken: cancellationToken).ConfigureAwait(false);
            buffer.Position = 0;
            return buffer;
        }
        catch (Exception error)
        {
            await buffer.DisposeAsync().ConfigureAwait(false);
            if (GcsFailures.IsNotFound(error))
                throw new FileNotFoundException($"gs://{_bucket}/{name} does not exist.", error);
            if (cancellationToken.IsCancellationRequested)
                throw;
            throw GcsFailures.Translate(error, _bucket, $"download gs://{_bucket}/{name}");
        }
    }

    public async IAsyncEnumerable<string> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var fullPrefix = ObjectPath(prefix);
        var strip = _prefix.Length == 0 ? 0 : _prefix.Length + 1;
        await using var objects = _client.ListObjectsAsync(_bucket, fullPrefix).GetAsyncEnumerator(cancellationToken);
        while (true)
        {
            try
            {
                if (!await objects.MoveNextAsync().ConfigureAwait(false))
                    yield break;
            }
            catch (Exception error) when (!cancellationToken.IsCancellationRequested)
            {
                throw GcsFailures.Translate(error, _bucket, $"list gs://{_bucket}/{fullPrefix}");
            }
            var name = objects.Current.Name;
            if (name.Length >= strip)
                yield return name[strip..];
        }
    }

    private string ObjectPath(string objectName)
    {
        var relative = objectName.TrimStart('/');
        return _prefix.Length == 0 ? relative : $"{_prefix}/{relative}";
    }

    private string Uri(string name) => $"gs://{_bucket}/{name}";

    private static string? IntegrityProblem(Google.Apis.Storage.v1.Data.Object uploaded, long bytesRead, string md5, long? expectedLength)
    {
        if (expectedLength is { } expected && expected != bytesRead)
            return $"expected {expected} bytes but the source gave {bytesRead}";
        if (uploaded.Size is not { } size || (long)size != bytesRead)
            return $"the storage holds {uploaded.Size?.ToString() ?? "an unknown number of"} bytes but {bytesRead} were sent";
        if (!string.Equals(uploaded.Md5Hash, md5, StringComparison.Ordinal))
            return $"the storage reports MD5 {uploaded.Md5Hash ?? "(none)"} but the bytes sent have MD5 {md5}";
        return null;
    }

    /// <summary>
    /// The client sends the CRC32C of what it read with the last chunk (UploadValidationMode.RejectAndThrow);
    /// GCS answers 400 "Provided CRC32C … doesn't match calculated CRC32C …" and creates nothing.
    /// </summary>
    private static bool IsChecksumRejection(Exception error) =>
        error is Google.GoogleApiException { HttpStatusCode: System.Net.HttpStatusCode.BadRequest } api
            && ((api.Error?.Message ?? api.Message) is var message)
            && (message.Contains("CRC32C", StringComparison.OrdinalIgnoreCase) || message.Contains("MD5", StringComparison.OrdinalIgnoreCase)
                || message.Contains("checksum", StringComparison.OrdinalIgnoreCase));

    private async Task DeleteQuietlyAsync(string name)
    {
        try
        {
            // Not cancellable: a half-checked object must not stay behind because the run is stopping.
            await _client.DeleteObjectAsync(_bucket, name, cancellationToken: CancellationToken.None).ConfigureAwait(false);
        }
        catch (Google.GoogleApiException)
        {
            // Already gone, or the store is failing; the next attempt replaces the object anyway.
        }
    }

    private static StorageClient CreateClient(string bucket, string? endpoint)
    {
        if (!string.IsNullOrEmpty(endpoint))
            return new StorageClientBuilder { BaseUri = endpoint, UnauthenticatedAccess = true }.Build();
        try
        {
            return StorageClient.Create();
        }
        catch (InvalidOperationException error)
        {
            throw new CredentialsRejectedException(
                $"no Google credentials found for gs://{bucket}: set GOOGLE_APPLICATION_CREDENTIALS to a service account key file, " +
                $"run on GCP with a service account, or run `gcloud auth application-default login` ({error.GetType().Name}).");
        }
    }
}
