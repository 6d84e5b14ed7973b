namespace CallImport.Testing.Fakes.Zoom;

/// <summary>
/// Misbehaviour on demand. Every switch is thread-safe and may be flipped while requests are in flight;
/// "next N requests" switches are consumed by whichever API requests arrive next (token and download
/// requests excepted). What was actually served is counted in <see cref="ZoomFakeTraffic"/>.
/// </summary>
public sealed class ZoomFakeFaults(int seed)
{
    private readonly Lock _lock = new();
    private readonly Random _random = new(seed);
    private readonly HashSet<string> _malformed = new(StringComparer.Ordinal);
    private readonly HashSet<string> _notFound = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _processing = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (int Left, int Status)> _detailFailures = new(StringComparer.Ordinal);
    private int _failNext;
    private int _failStatus = 500;
    private double _failFraction;
    private int _stallNext;
    private double _stallFraction;
    private TimeSpan _stall = TimeSpan.FromSeconds(30);
    private int _throttleNext;
    private bool _dailyLimitReached;
    private int _expireStorageUrlsNext;
    private int _expireTokensEvery;
    private bool _expireFirstStorageUrlPerFile;
    private readonly HashSet<string> _redirectedFiles = new(StringComparer.Ordinal);
    private int _apiRequests;

    /// <summary>The next <paramref name="requests"/> API requests get <paramref name="statusCode"/>.</summary>
    public void FailNext(int requests, int statusCode = 500)
    {
        lock (_lock) (_failNext, _failStatus) = (requests, statusCode);
    }

    /// <summary>Each API request gets HTTP 500 with probability <paramref name="fraction"/> (seeded, so runs repeat).</summary>
    public void ServerErrorFraction(double fraction)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(fraction);
        lock (_lock) _failFraction = fraction;
    }

    /// <summary>The next <paramref name="requests"/> API requests answer only after <paramref name="stall"/> (a client timeout).</summary>
    public void StallNext(int requests, TimeSpan stall)
    {
        lock (_lock) (_stallNext, _stall) = (requests, stall);
    }

    /// <summary>Each API request stalls for <paramref name="stall"/> with probability <paramref name="fraction"/>.</summary>
    public void StallFraction(double fraction, TimeSpan stall)
    {
        lock (_lock) (_stallFraction, _stall) = (fraction, stall);
    }

    /// <summary>The next <paramref name="requests"/> API requests get Zoom's per-second 429.</summary>
    public void ThrottleNext(int requests)
    {
        lock (_lock) _throttleNext = requests;
    }

    /// <summary>Heavy (and resource-intensive) requests get the daily-limit 429 with Retry-After until cleared.</summary>
    public void DailyLimitReached(bool reached = true)
    {
        lock (_lock) _dailyLimitReached = reached;
    }

    /// <summary>The meeting's payload (listing and detail) lacks its start time and has recording_files of the wrong type.</summary>
    public void MalformedMeetings(params string[] uuids)
    {
        lock (_lock) _malformed.UnionWith(uuids);
    }

    /// <summary>These meetings stay in the listing but their detail answers 404 code 3301 (deleted meanwhile).</summary>
    public void NotFound(params string[] uuids)
    {
        lock (_lock) _notFound.UnionWith(uuids);
    }

    /// <summary>The meeting's files say <c>status: processing</c> for its next <paramref name="requests"/> detail requests (int.MaxValue: until cleared).</summary>
    public void Processing(string uuid, int requests = int.MaxValue)
    {
        lock (_lock) _processing[uuid] = requests;
    }

    /// <summary>The detail of this meeting answers <paramref name="statusCode"/> the next <paramref name="times"/> times.</summary>
    public void FailDetailFor(string uuid, int times, int statusCode = 500)
    {
        lock (_lock) _detailFailures[uuid] = (times, statusCode);
    }

    /// <summary>The next <paramref name="downloads"/> redirects point at a signed storage URL that has already expired.</summary>
    public void ExpiredStorageUrlsNext(int downloads)
    {
        lock (_lock) _expireStorageUrlsNext = downloads;
    }

    /// <summary>
    /// The first redirect of every file points at a signed storage URL that has already expired (a client holding
    /// an address too long), later ones are valid: an expired media URL the client must refresh, once per file.
    /// </summary>
    public void ExpireFirstStorageUrlOfEachFile(bool expire = true)
    {
        lock (_lock) _expireFirstStorageUrlPerFile = expire;
    }

    internal bool TakeExpiredStorageUrl(string fileId)
    {
        lock (_lock)
            return Take(ref _expireStorageUrlsNext) || (_expireFirstStorageUrlPerFile && _redirectedFiles.Add(fileId));
    }

    /// <summary>Every issued token expires at every <paramref name="requests"/>-th API request (tokens running out mid-import, deterministically); 0 turns it off.</summary>
    public void ExpireTokensEvery(int requests)
    {
        lock (_lock) (_expireTokensEvery, _apiRequests) = (requests, 0);
    }

    internal bool TakeTokenExpiry()
    {
        lock (_lock) return _expireTokensEvery > 0 && ++_apiRequests % _expireTokensEvery == 0;
    }

    /// <summary>Back to a well-behaved Zoom.</summary>
    public void Clear()
    {
        lock (_lock)
        {
            (_failNext, _failFraction, _stallNext, _stallFraction, _throttleNext, _expireStorageUrlsNext, _expireTokensEvery) = (0, 0, 0, 0, 0, 0, 0);
            (_dailyLimitReached, _expireFirstStorageUrlPerFile) = (false, false);
            _redirectedFiles.Clear();
            _malformed.Clear();
            _notFound.Clear();
            _processing.Clear();
            _detailFailures.Clear();
        }
    }

    internal TimeSpan? TakeStall()
    {
        lock (_lock)
            return Take(ref _stallNext) || (_stallFraction > 0 && _random.NextDouble() < _stallFraction) ? _stall : null;
    }

    internal int? TakeFailure()
    {
        lock (_lock)
        {
            if (Take(ref _failNext)) return _failStatus;
            return _failFraction > 0 && _random.NextDouble() < _failFraction ? 500 : null;
        }
    }

    internal bool TakeThrottle() { lock (_lock) return Take(ref _throttleNext); }
    internal bool IsDailyLimitReached { get { lock (_lock) return _dailyLimitReached; } }
    internal bool IsMalformed(string uuid) { lock (_lock) return _malformed.Contains(uuid); }
    internal bool IsNotFound(string uuid) { lock (_lock) return _notFound.Contains(uuid); }
    internal IReadOnlyCollection<string> MalformedUuids { get { lock (_lock) return [.. _malformed]; } }

    /// <summary>Whether this detail request still sees the files processing (consumes one).</summary>
    internal bool TakeProcessing(string uuid)
    {
        lock (_lock)
        {
            if (!_processing.TryGetValue(uuid, out var left) || left <= 0) return false;
            if (left != int.MaxValue) _processing[uuid] = left - 1;
            return true;
        }
    }

    /// <summary>Whether the listing shows the files processing (without consuming).</summary>
    internal bool IsProcessing(string uuid) { lock (_lock) return _processing.GetValueOrDefault(uuid) > 0; }

    internal int? TakeDetailFailure(string uuid)
    {
        lock (_lock)
        {
            if (!_detailFailures.TryGetValue(uuid, out var failure) || failure.Left <= 0) return null;
            _detailFailures[uuid] = (failure.Left - 1, failure.Status);
            return failure.Status;
        }
    }

    private static bool Take(ref int remaining)
    {
        if (remaining <= 0) return false;
        remaining--;
        return true;
    }
}
