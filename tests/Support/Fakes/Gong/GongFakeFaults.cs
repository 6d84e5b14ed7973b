namespace CallImport.Testing.Fakes.Gong;

/// <summary>
/// Misbehaviour on demand. Thread-safe; switches may be flipped while requests are in flight. "Next N"
/// switches are consumed by whichever API requests arrive next (storage requests have their own).
/// Fractions are drawn from a seeded random, so a run repeats. What was served is in <see cref="GongFakeTraffic"/>.
/// </summary>
public sealed class GongFakeFaults(int seed)
{
    private readonly Lock _lock = new();
    private readonly Random _random = new(seed);
    private readonly HashSet<string> _malformed = new(StringComparer.Ordinal);
    private readonly HashSet<string> _deleted = new(StringComparer.Ordinal);
    private int _failNext;
    private int _failStatus = 500;
    private double _serverErrorFraction;
    private int _delayNext;
    private double _stallFraction;
    private TimeSpan _delay = TimeSpan.FromMinutes(5);
    private int _throttleNext;
    private int _throttleRetryAfter = 1;
    private int _refuseMediaNext;
    private bool _expireFirstDownloads;
    private readonly HashSet<string> _unavailableRecordings = new(StringComparer.Ordinal);
    private readonly HashSet<string> _downloadedObjects = new(StringComparer.Ordinal);

    /// <summary>The next <paramref name="requests"/> API requests get <paramref name="statusCode"/>.</summary>
    public void FailNext(int requests, int statusCode = 500)
    {
        lock (_lock) (_failNext, _failStatus) = (requests, statusCode);
    }

    /// <summary>Each API request gets a 500 with probability <paramref name="fraction"/>.</summary>
    public void ServerErrorFraction(double fraction)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(fraction);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(fraction, 1);
        lock (_lock) _serverErrorFraction = fraction;
    }

    /// <summary>The next <paramref name="requests"/> API requests answer only after <paramref name="delay"/> (past the client's timeout).</summary>
    public void DelayNext(int requests, TimeSpan delay)
    {
        lock (_lock) (_delayNext, _delay) = (requests, delay);
    }

    /// <summary>Each API request stalls for <paramref name="delay"/> with probability <paramref name="fraction"/>.</summary>
    public void StallFraction(double fraction, TimeSpan delay)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(fraction);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(fraction, 1);
        lock (_lock) (_stallFraction, _delay) = (fraction, delay);
    }

    /// <summary>The next <paramref name="requests"/> API requests get 429 with <c>Retry-After</c>.</summary>
    public void ThrottleNext(int requests, int retryAfterSeconds = 1)
    {
        lock (_lock) (_throttleNext, _throttleRetryAfter) = (requests, retryAfterSeconds);
    }

    /// <summary>
    /// In <c>/v2/calls/extensive</c> these calls come with a broken record: a metaData whose times and
    /// duration have the wrong types and parties that are not an array. The rest of the page is intact.
    /// </summary>
    public void MalformedCalls(params string[] callIds)
    {
        lock (_lock) _malformed.UnionWith(callIds);
    }

    /// <summary>Listed, then deleted: absent from extensive and transcript answers (as Gong omits unknown ids).</summary>
    public void DeletedCalls(params string[] callIds)
    {
        lock (_lock) _deleted.UnionWith(callIds);
    }

    /// <summary>The storage path refuses the next <paramref name="requests"/> downloads as expired (403), whatever their signature.</summary>
    public void RefuseMediaNext(int requests)
    {
        lock (_lock) _refuseMediaNext = requests;
    }

    /// <summary>
    /// The first download of each recording is refused as expired (403), as a URL from a batch fetched hours
    /// before its download would be; a fresh URL for the same recording then works.
    /// </summary>
    public void ExpireFirstDownloadOfEachRecording()
    {
        lock (_lock) _expireFirstDownloads = true;
    }

    /// <summary>
    /// The storage host answers every download of these calls' recordings with S3's <c>503 SlowDown</c>, as a
    /// struggling store does: a transient failure that outlasts every retry.
    /// </summary>
    public void UnavailableRecordings(params string[] callIds)
    {
        lock (_lock) _unavailableRecordings.UnionWith(callIds);
    }

    public void Clear()
    {
        lock (_lock)
        {
            (_failNext, _serverErrorFraction, _delayNext, _stallFraction, _throttleNext, _refuseMediaNext) = (0, 0, 0, 0, 0, 0);
            _malformed.Clear();
            _deleted.Clear();
            _unavailableRecordings.Clear();
            _expireFirstDownloads = false;
            _downloadedObjects.Clear();
        }
    }

    internal TimeSpan? TakeDelay()
    {
        lock (_lock)
            return Take(ref _delayNext) || (_stallFraction > 0 && _random.NextDouble() < _stallFraction) ? _delay : null;
    }

    internal int? TakeThrottle()
    {
        lock (_lock) return Take(ref _throttleNext) ? _throttleRetryAfter : null;
    }

    internal int? TakeFailure()
    {
        lock (_lock)
        {
            if (Take(ref _failNext)) return _failStatus;
            return _serverErrorFraction > 0 && _random.NextDouble() < _serverErrorFraction ? 500 : null;
        }
    }

    internal bool TakeMediaRefusal(string objectPath)
    {
        lock (_lock) return Take(ref _refuseMediaNext) || (_expireFirstDownloads && _downloadedObjects.Add(objectPath));
    }

    internal bool IsRecordingUnavailable(string id) { lock (_lock) return _unavailableRecordings.Contains(id); }
    internal bool IsMalformed(string id) { lock (_lock) return _malformed.Contains(id); }
    internal bool IsDeleted(string id) { lock (_lock) return _deleted.Contains(id); }

    private static bool Take(ref int remaining)
    {
        if (remaining <= 0) return false;
        remaining--;
        return true;
    }
}
