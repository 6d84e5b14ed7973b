using System.Security.Cryptography;

namespace CallImport.ImportRunner.Storage;

/// <summary>
/// Reads through to the source while counting bytes and computing MD5, so the upload can be checked against what the
/// store reports without holding the media in memory. Not seekable on purpose: every byte is read exactly once.
/// </summary>
internal sealed class ChecksummingReadStream(Stream source) : Stream
{
    // MD5 here is GCS's integrity checksum (the object's md5Hash), not a security control.
    private readonly IncrementalHash _md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);

    public long BytesRead { get; private set; }

    /// <summary>
    /// The source's own failure, if reading it failed. The upload client swallows it into its own error, so it is
    /// kept here for the caller to rethrow as what it is (a vendor stream breaking, not the storage).
    /// </summary>
    public Exception? SourceFailure { get; private set; }

    /// <summary>The MD5 of everything read so far, base64 as GCS reports it.</summary>
    public string Md5Base64 => Convert.ToBase64String(_md5.GetCurrentHash());

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => BytesRead;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        int read;
        try
        {
            read = source.Read(buffer);
        }
        catch (Exception error)
        {
            SourceFailure ??= error;
            throw;
        }
        Observe(buffer[..read]);
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        int read;
        try
        {
            read = await source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception error)
        {
            SourceFailure ??= error;
            throw;
        }
        Observe(buffer.Span[..read]);
        return read;
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            _md5.Dispose();
        base.Dispose(disposing);
    }

    private void Observe(ReadOnlySpan<byte> data)
    {
        _md5.AppendData(data);
        BytesRead += data.Length;
    }
}
