using System.Collections.Concurrent;

namespace CallImport.Testing.Fakes.Gcs;

/// <summary>What the fake has seen, for assertions: how uploads were split into requests.</summary>
public sealed class GcsTraffic
{
    private int _uploadSessions;
    private int _chunkPuts;
    private long _maxRequestBodyBytes;
    private readonly ConcurrentQueue<string> _requests = new();

    /// <summary>Resumable sessions started (<c>POST …?uploadType=resumable</c>).</summary>
    public int UploadSessions => Volatile.Read(ref _uploadSessions);

    /// <summary>Chunk PUTs received on upload sessions, including ones answered with an injected failure.</summary>
    public int ChunkPuts => Volatile.Read(ref _chunkPuts);

    /// <summary>The largest request body received, in bytes (a client that buffers whole files shows it here).</summary>
    public long MaxRequestBodyBytes => Interlocked.Read(ref _maxRequestBodyBytes);

    /// <summary>Every request as "METHOD raw-target Content-Range [Content-Encoding: …] [X-Goog-Hash: …]", in arrival order.</summary>
    public IReadOnlyList<string> Requests => [.. _requests];

    internal void SessionStarted() => Interlocked.Increment(ref _uploadSessions);

    internal void ChunkPut() => Interlocked.Increment(ref _chunkPuts);

    internal void Request(string line) => _requests.Enqueue(line);

    internal void BodyReceived(long bytes)
    {
        var current = Interlocked.Read(ref _maxRequestBodyBytes);
        while (bytes > current)
        {
            var seen = Interlocked.CompareExchange(ref _maxRequestBodyBytes, bytes, current);
            if (seen == current)
                return;
            current = seen;
        }
    }
}
