namespace CallImport.Testing.Fakes.Grain;

/// <summary>
/// Misbehaviour on demand. Every switch is thread-safe and may be flipped while requests are in flight;
/// "next N requests" switches are consumed by whichever requests arrive next, on any endpoint.
/// What was actually served is counted in <see cref="GrainFakeTraffic"/>.
/// </summary>
public sealed class GrainFakeFaults(int seed)
{
    private readonly Lock _lock = new();
    private readonly Random _random = new(seed);
    private readonly HashSet<string> _malformed = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _transcriptNotReady = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _notFound = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<int, int> _emptyPagesBefore = [];
    private readonly Dictionary<string, (int Left, int Status)> _detailFailures = new(StringComparer.OrdinalIgnoreCase);
    private int _throttleNext;
    private int _throttleRetryAfter = 1;
    private double _throttleFraction;
    private int _fractionRetryAfter = 1;
    private int _failNext;
    private int _failStatus = 503;
    private int _delayNext;
    private TimeSpan _delay;
    private int _trailingEmptyPages;
    private double _failFraction;
    private double _delayFraction;
    private TimeSpan _fractionDelay;

    /// <summary>The next <paramref name="requests"/> requests get 429 with <c>Retry-After: retryAfterSeconds</c>.</summary>
    public void ThrottleNext(int requests, int retryAfterSeconds = 1)
    {
        lock (_lock) (_throttleNext, _throttleRetryAfter) = (requests, retryAfterSeconds);
    }

    /// <summary>Each request gets 429 with probability <paramref name="fraction"/> (seeded, so runs repeat); 0 turns it off.</summary>
    public void ThrottleFraction(double fraction, int retryAfterSeconds = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(fraction);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(fraction, 1);
        lock (_lock) (_throttleFraction, _fractionRetryAfter) = (fraction, retryAfterSeconds);
    }

    /// <summary>The next <paramref name="requests"/> requests get <paramref name="statusCode"/> (5xx).</summary>
    public void FailNext(int requests, int statusCode = 503)
    {
        lock (_lock) (_failNext, _failStatus) = (requests, statusCode);
    }

    /// <summary>Each request gets a 503 with probability <paramref name="fraction"/> (seeded); 0 turns it off.</summary>
    public void FailFraction(double fraction)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(fraction);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(fraction, 1);
        lock (_lock) _failFraction = fraction;
    }

    /// <summary>Each request waits <paramref name="delay"/> before its answer with probability <paramref name="fraction"/> (a stall).</summary>
    public void DelayFraction(double fraction, TimeSpan delay)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(fraction);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(fraction, 1);
        lock (_lock) (_delayFraction, _fractionDelay) = (fraction, delay);
    }

    /// <summary>The next <paramref name="requests"/> requests wait <paramref name="delay"/> before being served (a client timeout).</summary>
    public void DelayNext(int requests, TimeSpan delay)
    {
        lock (_lock) (_delayNext, _delay) = (requests, delay);
    }

    /// <summary>The detail endpoint answers <paramref name="statusCode"/> for this recording the next <paramref name="times"/> times it is asked.</summary>
    public void FailDetailFor(string recordingId, int times, int statusCode = 503)
    {
        lock (_lock) _detailFailures[recordingId] = (times, statusCode);
    }

    internal int? TakeDetailFailure(string recordingId)
    {
        lock (_lock)
        {
            if (!_detailFailures.TryGetValue(recordingId, out var failure) || failure.Left <= 0) return null;
            _detailFailures[recordingId] = (failure.Left - 1, failure.Status);
            return failure.Status;
        }
    }

    /// <summary>The detail endpoint answers 200 with a truncated JSON body for these recordings.</summary>
    public void MalformedDetailFor(params string[] recordingIds)
    {
        lock (_lock) _malformed.UnionWith(recordingIds);
    }

    /// <summary>The transcript endpoint answers <c>[]</c> (Grain's "not ready yet") for these recordings.</summary>
    public void TranscriptNotReadyFor(params string[] recordingIds)
    {
        lock (_lock) _transcriptNotReady.UnionWith(recordingIds);
    }

    /// <summary>Transcripts become ready again for these recordings.</summary>
    public void TranscriptReadyFor(params string[] recordingIds)
    {
        lock (_lock) _transcriptNotReady.ExceptWith(recordingIds);
    }

    /// <summary>These recordings stay in the listing but their detail and transcript answer 404 (deleted meanwhile).</summary>
    public void NotFoundFor(params string[] recordingIds)
    {
        lock (_lock) _notFound.UnionWith(recordingIds);
    }

    /// <summary>Before the listing's page <paramref name="page"/> (1-based), <paramref name="count"/> empty pages that carry a cursor.</summary>
    public void EmptyPagesBefore(int page, int count = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(page, 1);
        lock (_lock) _emptyPagesBefore[page] = count;
    }

    /// <summary>
    /// The last page of data carries a cursor, then <paramref name="count"/> empty pages with a cursor follow
    /// before an empty page with a null cursor. <see cref="int.MaxValue"/>: the empty pages never end.
    /// </summary>
    public void TrailingEmptyPages(int count)
    {
        lock (_lock) _trailingEmptyPages = count;
    }

    /// <summary>Back to a well-behaved Grain.</summary>
    public void Clear()
    {
        lock (_lock)
        {
            (_throttleNext, _throttleFraction, _failNext, _delayNext, _trailingEmptyPages) = (0, 0, 0, 0, 0);
            (_failFraction, _delayFraction) = (0, 0);
            _malformed.Clear();
            _transcriptNotReady.Clear();
            _notFound.Clear();
            _emptyPagesBefore.Clear();
            _detailFailures.Clear();
        }
    }

    public int ThrottlesLeft { get { lock (_lock) return _throttleNext; } }
    public int FailuresLeft { get { lock (_lock) return _failNext; } }
    public int DelaysLeft { get { lock (_lock) return _delayNext; } }

    internal TimeSpan? TakeDelay()
    {
        lock (_lock)
        {
            if (Take(ref _delayNext)) return _delay;
            return _delayFraction > 0 && _random.NextDouble() < _delayFraction ? _fractionDelay : null;
        }
    }

    /// <summary>The Retry-After seconds of an injected 429, or null.</summary>
    internal int? TakeThrottle()
    {
        lock (_lock)
        {
            if (Take(ref _throttleNext)) return _throttleRetryAfter;
            return _throttleFraction > 0 && _random.NextDouble() < _throttleFraction ? _fractionRetryAfter : null;
        }
    }

    internal int? TakeFailure()
    {
        lock (_lock)
        {
            if (Take(ref _failNext)) return _failStatus;
            return _failFraction > 0 && _random.NextDouble() < _failFraction ? 503 : null;
        }
    }

    internal bool IsMalformed(string id) { lock (_lock) return _malformed.Contains(id); }
    internal bool IsTranscriptNotReady(string id) { lock (_lock) return _transcriptNotReady.Contains(id); }
    internal bool IsNotFound(string id) { lock (_lock) return _notFound.Contains(id); }
    internal int EmptyPagesBeforePage(int page) { lock (_lock) return _emptyPagesBefore.GetValueOrDefault(page); }
    internal int TrailingEmptyPageCount { get { lock (_lock) return _trailingEmptyPages; } }

    private static bool Take(ref int remaining)
    {
        if (remaining <= 0) return false;
        remaining--;
        return true;
    }
}
