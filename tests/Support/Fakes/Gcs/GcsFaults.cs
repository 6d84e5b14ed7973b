namespace CallImport.Testing.Fakes.Gcs;

/// <summary>Misbehaviour on demand: failing chunk PUTs, corrupting stored bytes, refusing every request.</summary>
public sealed class GcsFaults
{
    private int _failingChunkPuts;
    private int _corruptUploads;
    private int _refuseStatus;
    private int _refuseChunkStatus = 503;

    /// <summary>Answers the next <paramref name="count"/> chunk PUTs with <paramref name="status"/>, storing nothing of them.</summary>
    public void FailNextChunkPuts(int count, int status = 503)
    {
        _refuseChunkStatus = status;
        Volatile.Write(ref _failingChunkPuts, count);
    }

    /// <summary>
    /// Flips a byte of the next completed upload before it is stored, so its checksums no longer match what was sent.
    /// With <paramref name="verifyClientChecksum"/> the upload is then rejected (400) against the client's
    /// <c>x-goog-hash</c>, as GCS does; without, it is stored corrupted, as a server that skips the check would.
    /// </summary>
    public void CorruptNextUpload(bool verifyClientChecksum = true) =>
        Volatile.Write(ref _corruptUploads, verifyClientChecksum ? 1 : 2);

    /// <summary>Answers every request with <paramref name="status"/> (e.g. 403) until <see cref="StopRefusing"/>.</summary>
    public void RefuseAllRequests(int status) => Volatile.Write(ref _refuseStatus, status);

    public void StopRefusing() => Volatile.Write(ref _refuseStatus, 0);

    internal int? TakeChunkFailure()
    {
        while (true)
        {
            var left = Volatile.Read(ref _failingChunkPuts);
            if (left <= 0)
                return null;
            if (Interlocked.CompareExchange(ref _failingChunkPuts, left - 1, left) == left)
                return _refuseChunkStatus;
        }
    }

    internal GcsCorruption? TakeCorruption() => Interlocked.Exchange(ref _corruptUploads, 0) switch
    {
        1 => new GcsCorruption(VerifyClientChecksum: true),
        2 => new GcsCorruption(VerifyClientChecksum: false),
        _ => null,
    };

    internal int? RefusalStatus => Volatile.Read(ref _refuseStatus) is var s and > 0 ? s : null;
}
