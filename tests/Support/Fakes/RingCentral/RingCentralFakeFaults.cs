namespace CallImport.Testing.Fakes.RingCentral;

/// <summary>
/// Misbehaviour on demand, thread-safe and switchable while requests are in flight. "Next N" switches are
/// consumed by whichever API requests (not token requests) arrive next. Fractions are seeded, so runs repeat.
/// </summary>
public sealed class RingCentralFakeFaults(int seed)
{
    private readonly Lock _lock = new();
    private readonly Random _random = new(seed);
    private readonly HashSet<string> _malformed = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _recordingFailures = new(StringComparer.Ordinal);
    private int _failNext;
    private int _failStatus = 503;
    private double _serverErrorFraction;
    private int _stallNext;
    private double _stallFraction;
    private TimeSpan _stall = TimeSpan.FromMinutes(2);

    /// <summary>The next <paramref name="requests"/> API requests get <paramref name="statusCode"/>.</summary>
    public void FailNext(int requests, int statusCode = 503)
    {
        lock (_lock) (_failNext, _failStatus) = (requests, statusCode);
    }

    /// <summary>Each API request gets HTTP 500 with this probability; 0 turns it off.</summary>
    public void ServerErrorFraction(double fraction)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(fraction);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(fraction, 1);
        lock (_lock) _serverErrorFraction = fraction;
    }

    /// <summary>The next <paramref name="requests"/> API requests are answered only after <paramref name="stall"/>.</summary>
    public void StallNext(int requests, TimeSpan stall)
    {
        lock (_lock) (_stallNext, _stall) = (requests, stall);
    }

    /// <summary>Each API request stalls for <paramref name="stall"/> with this probability; 0 turns it off.</summary>
    public void StallFraction(double fraction, TimeSpan stall)
    {
        lock (_lock) (_stallFraction, _stall) = (fraction, stall);
    }

    /// <summary>These call-log records are listed with a startTime and duration that do not parse.</summary>
    public void MalformedRecords(params string[] recordIds)
    {
        lock (_lock) _malformed.UnionWith(recordIds);
    }

    /// <summary>The content of this recording answers 500 the next <paramref name="times"/> times.</summary>
    public void FailRecording(string recordingId, int times)
    {
        lock (_lock) _recordingFailures[recordingId] = times;
    }

    internal bool IsMalformed(string recordId) { lock (_lock) return _malformed.Contains(recordId); }

    internal IReadOnlyCollection<string> Malformed { get { lock (_lock) return [.. _malformed]; } }

    internal TimeSpan? TakeStall()
    {
        lock (_lock)
        {
            if (_stallNext > 0) { _stallNext--; return _stall; }
            return _stallFraction > 0 && _random.NextDouble() < _stallFraction ? _stall : null;
        }
    }

    internal int? TakeFailure()
    {
        lock (_lock)
        {
            if (_failNext > 0) { _failNext--; return _failStatus; }
            return _serverErrorFraction > 0 && _random.NextDouble() < _serverErrorFraction ? 500 : null;
        }
    }

    internal bool TakeRecordingFailure(string recordingId)
    {
        lock (_lock)
        {
            if (!_recordingFailures.TryGetValue(recordingId, out var left) || left <= 0) return false;
            _recordingFailures[recordingId] = left - 1;
            return true;
        }
    }
}
