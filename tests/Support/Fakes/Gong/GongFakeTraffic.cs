namespace CallImport.Testing.Fakes.Gong;

public enum GongFakeEndpoint { ListCalls, Extensive, Transcript, Storage, Unknown }

/// <summary>What the fake served instead of a plain answer.</summary>
public enum GongFakeFault
{
    Unauthorized, RateLimited, DailyLimit, Throttled, ServerError, Delayed, Malformed, NoCallsFound,
    BadRequest, StorageAuthorizationRefused, MediaUrlExpired, MediaSignatureInvalid, MediaNotFound, StorageUnavailable,
}

/// <summary>One request as the fake saw it. <paramref name="CountsAgainstLimits"/>: an API request (storage ones do not count).</summary>
public sealed record GongFakeRequest(DateTimeOffset At, string Method, string Path, GongFakeEndpoint Endpoint, int Status, bool CountsAgainstLimits);

/// <summary>Everything the fake received and how it answered, for assertions. Thread-safe.</summary>
public sealed class GongFakeTraffic
{
    private readonly Lock _lock = new();
    private readonly List<GongFakeRequest> _requests = [];
    private readonly Dictionary<GongFakeFault, int> _faults = [];
    private readonly Dictionary<string, int> _extensiveByCall = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _downloadsByCall = new(StringComparer.Ordinal);

    public IReadOnlyList<GongFakeRequest> Requests() { lock (_lock) return [.. _requests]; }

    /// <summary>API requests (what Gong counts against 3/s and 10,000/day), refused ones included.</summary>
    public int ApiRequests { get { lock (_lock) return _requests.Count(r => r.CountsAgainstLimits); } }

    public int RequestsTo(GongFakeEndpoint endpoint) { lock (_lock) return _requests.Count(r => r.Endpoint == endpoint); }

    public int Responses(int status) { lock (_lock) return _requests.Count(r => r.Status == status); }

    public int Faults(GongFakeFault fault) { lock (_lock) return _faults.GetValueOrDefault(fault); }

    /// <summary>How many extensive requests named this call id in filter.callIds.</summary>
    public int ExtensiveRequestsFor(string callId) { lock (_lock) return _extensiveByCall.GetValueOrDefault(callId); }

    /// <summary>Successful media downloads of this call.</summary>
    public int DownloadsOf(string callId) { lock (_lock) return _downloadsByCall.GetValueOrDefault(callId); }

    /// <summary>The most API requests that arrived within any <paramref name="window"/>.</summary>
    public int MaxApiRequestsIn(TimeSpan window)
    {
        DateTimeOffset[] arrivals;
        lock (_lock) arrivals = [.. _requests.Where(r => r.CountsAgainstLimits).Select(r => r.At)];
        Array.Sort(arrivals);
        var max = 0;
        for (int first = 0, last = 0; last < arrivals.Length; last++)
        {
            while (arrivals[last] - arrivals[first] >= window) first++;
            max = Math.Max(max, last - first + 1);
        }
        return max;
    }

    public void Reset()
    {
        lock (_lock)
        {
            _requests.Clear();
            _faults.Clear();
            _extensiveByCall.Clear();
            _downloadsByCall.Clear();
        }
    }

    internal void Answered(GongFakeRequest request)
    {
        lock (_lock) _requests.Add(request);
    }

    internal void Served(GongFakeFault fault)
    {
        lock (_lock) _faults[fault] = _faults.GetValueOrDefault(fault) + 1;
    }

    internal void ExtensiveAsked(IEnumerable<string> callIds)
    {
        lock (_lock)
            foreach (var id in callIds) _extensiveByCall[id] = _extensiveByCall.GetValueOrDefault(id) + 1;
    }

    internal void Downloaded(string callId)
    {
        lock (_lock) _downloadsByCall[callId] = _downloadsByCall.GetValueOrDefault(callId) + 1;
    }
}
