namespace CallImport.Testing.Fakes.Grain;

public enum GrainFakeEndpoint { ListRecordings, GetRecording, GetTranscript, Unknown }

/// <summary>What the fake served instead of a plain answer.</summary>
public enum GrainFakeFault
{
    Unauthorized, MissingApiVersion, RateLimited, Throttled, ServerError, Delayed,
    Malformed, EmptyPage, TranscriptNotReady, NotFound, BadRequest,
}

/// <summary>Everything the fake received and how it answered, for assertions. Thread-safe.</summary>
public sealed class GrainFakeTraffic
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, int> _byPath = new(StringComparer.Ordinal);
    private readonly Dictionary<GrainFakeEndpoint, int> _byEndpoint = [];
    private readonly Dictionary<int, int> _byStatus = [];
    private readonly Dictionary<GrainFakeFault, int> _faults = [];
    private readonly List<DateTimeOffset> _arrivals = [];

    public int TotalRequests { get { lock (_lock) return _arrivals.Count; } }

    public int Requests(GrainFakeEndpoint endpoint) { lock (_lock) return _byEndpoint.GetValueOrDefault(endpoint); }

    /// <summary>Requests by method and path under the base URL, e.g. <c>"POST v2/recordings/{id}"</c> with the real id.</summary>
    public IReadOnlyDictionary<string, int> RequestsByPath { get { lock (_lock) return new Dictionary<string, int>(_byPath); } }

    /// <summary>How often the detail of one recording was requested.</summary>
    public int DetailRequestsFor(string recordingId) { lock (_lock) return _byPath.GetValueOrDefault($"POST v2/recordings/{recordingId}"); }

    public int Responses(int statusCode) { lock (_lock) return _byStatus.GetValueOrDefault(statusCode); }

    public IReadOnlyDictionary<int, int> ResponsesByStatus { get { lock (_lock) return new Dictionary<int, int>(_byStatus); } }

    public int Faults(GrainFakeFault fault) { lock (_lock) return _faults.GetValueOrDefault(fault); }

    /// <summary>The most requests that arrived within any <paramref name="window"/> (all requests, refused ones too).</summary>
    public int MaxRequestsIn(TimeSpan window)
    {
        DateTimeOffset[] arrivals;
        lock (_lock) arrivals = [.. _arrivals];
        Array.Sort(arrivals);
        var max = 0;
        for (int first = 0, last = 0; last < arrivals.Length; last++)
        {
            while (arrivals[last] - arrivals[first] >= window) first++;
            max = Math.Max(max, last - first + 1);
        }
        return max;
    }

    /// <summary>When each request arrived, in order (benchmarks chart the request rate from them).</summary>
    public IReadOnlyList<DateTimeOffset> Arrivals { get { lock (_lock) { DateTimeOffset[] a = [.. _arrivals]; Array.Sort(a); return a; } } }

    /// <summary>The highest request rate seen over any one second.</summary>
    public int MaxRequestsPerSecond => MaxRequestsIn(TimeSpan.FromSeconds(1));

    public void Reset()
    {
        lock (_lock)
        {
            _byPath.Clear();
            _byEndpoint.Clear();
            _byStatus.Clear();
            _faults.Clear();
            _arrivals.Clear();
        }
    }

    internal void Received(string method, string relativePath, GrainFakeEndpoint endpoint, DateTimeOffset at)
    {
        lock (_lock)
        {
            var key = $"{method} {relativePath}";
            _byPath[key] = _byPath.GetValueOrDefault(key) + 1;
            _byEndpoint[endpoint] = _byEndpoint.GetValueOrDefault(endpoint) + 1;
            _arrivals.Add(at);
        }
    }

    internal void Answered(int statusCode)
    {
        lock (_lock) _byStatus[statusCode] = _byStatus.GetValueOrDefault(statusCode) + 1;
    }

    internal void Served(GrainFakeFault fault)
    {
        lock (_lock) _faults[fault] = _faults.GetValueOrDefault(fault) + 1;
    }
}
