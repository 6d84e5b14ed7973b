namespace CallImport.Testing.Fakes.RingCentral;

/// <summary>What the fake served instead of a plain answer.</summary>
public enum RingCentralFakeFault
{
    Unauthorized, TokenExpired, ClientRefused, GrantRefused, RefreshRefused, RateLimited, PenaltyRestarted,
    ServerError, Stalled, Malformed, NotFound, BadRequest,
}

/// <summary>One request as the fake saw it: the API group is RingCentral's own classification.</summary>
public sealed record RingCentralFakeRequest(DateTimeOffset At, string Method, string Path, string Group, int Status);

/// <summary>Everything the fake received and how it answered, for assertions. Thread-safe.</summary>
public sealed class RingCentralFakeTraffic
{
    private readonly Lock _lock = new();
    private readonly List<RingCentralFakeRequest> _requests = [];
    private readonly Dictionary<RingCentralFakeFault, int> _faults = [];

    public IReadOnlyList<RingCentralFakeRequest> Requests { get { lock (_lock) return [.. _requests]; } }

    /// <summary>The same requests in the shape every vendor fake shares (the conformance suite reads it).</summary>
    public FakeTrafficLog Log { get; } = new();

    public int TotalRequests { get { lock (_lock) return _requests.Count; } }

    public int InGroup(string group) { lock (_lock) return _requests.Count(r => r.Group == group); }

    public int ToPath(string pathPrefix) { lock (_lock) return _requests.Count(r => r.Path.StartsWith(pathPrefix, StringComparison.Ordinal)); }

    public int Responses(int status) { lock (_lock) return _requests.Count(r => r.Status == status); }

    public int Faults(RingCentralFakeFault fault) { lock (_lock) return _faults.GetValueOrDefault(fault); }

    /// <summary>The most requests of one group that arrived within any <paramref name="window"/> (refused ones too).</summary>
    public int MaxInWindow(string group, TimeSpan window)
    {
        DateTimeOffset[] arrivals;
        lock (_lock) arrivals = [.. _requests.Where(r => r.Group == group).Select(r => r.At)];
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
            Log.Clear();
        }
    }

    internal void Answered(RingCentralFakeRequest request)
    {
        lock (_lock) _requests.Add(request);
        Log.Add(new FakeRequest(request.At, request.Method, request.Path, request.Status, request.Group));
    }

    internal void Served(RingCentralFakeFault fault)
    {
        lock (_lock) _faults[fault] = _faults.GetValueOrDefault(fault) + 1;
    }
}
