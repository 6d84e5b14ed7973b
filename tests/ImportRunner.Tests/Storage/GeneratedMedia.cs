using System.Security.Cryptography;

namespace CallImport.ImportRunner.Tests.Storage;

/// <summary>
/// Deterministic pseudo-random bytes of a given length, produced on the fly and not seekable: a stand-in for a
/// vendor's media response that is never whole in memory.
/// </summary>
internal sealed class GeneratedMedia(long length, int seed = 7) : Stream
{
    private readonly Random _random = new(seed);
    private long _position;

    public static byte[] Bytes(long length, int seed = 7)
    {
        using var media = new GeneratedMedia(length, seed);
        using var copy = new MemoryStream();
        media.CopyTo(copy);
        return copy.ToArray();
    }

    /// <summary>MD5 in base64, as GCS reports an object's md5Hash.</summary>
    public static string Md5Base64(byte[] content)
    {
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        md5.AppendData(content);
        return Convert.ToBase64String(md5.GetHashAndReset());
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        // Short reads on purpose, as a network stream gives them.
        var take = (int)Math.Min(Math.Min(buffer.Length, 100_000), length - _position);
        if (take <= 0)
            return 0;
        _random.NextBytes(buffer[..take]);
        _position += take;
        return take;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Task.FromResult(Read(buffer.AsSpan(offset, count)));

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Read(buffer.Span));

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
