namespace CallImport.Testing.Fakes.Zoom;

public enum ZoomFakeEndpoint { Token, ListAccountRecordings, ListUserRecordings, MeetingRecordings, PastMeetingParticipants, Download, Storage, Unknown }

/// <summary>What the fake served instead of a plain answer.</summary>
public enum ZoomFakeFault
{
    InvalidClient, InvalidToken, ExpiredToken, RateLimited, DailyLimited, Throttled, ServerError, Stalled, Malformed,
    NotFound, WrongEncoding, Processing, PageTokenExpired, Narrowed, ParticipantsUnavailable, LoginPage, StorageUrlExpired,
    AuthorizationOnStorage, BadRequest,
}

/// <summary>One request as the fake saw it: <see cref="Category"/> is Zoom's rate-limit label (null for OAuth, downloads and storage).</summary>
public sealed record ZoomFakeRequest(DateTimeOffset At, string Method, string Path, ZoomFakeEndpoint Endpoint, string? Category, int Status);

/// <summary>Everything the fake received and how it answered, for assertions. Thread-safe.</summary>
public sealed class ZoomFakeTraffic
{
    private readonly Lock _lock = new();
    private readonly List<ZoomFakeRequest> _requests = [];
    private readonly Dictionary<ZoomFakeFault, int> _faults = [];

    public IReadOnlyList<ZoomFakeRequest> Requests { get { lock (_lock) return [.. _requests]; } }

    public int TotalRequests { get { lock (_lock) return _requests.Count; } }

    public int Count(ZoomFakeEndpoint endpoint) { lock (_lock) return _requests.Count(r => r.Endpoint == endpoint); }

    public int Responses(int status) { lock (_lock) return _requests.Count(r => r.Status == status); }

    public int Faults(ZoomFakeFault fault) { lock (_lock) return _faults.GetValueOrDefault(fault); }

    /// <summary>How many requests asked for this meeting's recordings.</summary>
    public int DetailRequestsFor(string uuid) { lock (_lock) return _requests.Count(r => r.Endpoint == ZoomFakeEndpoint.MeetingRecordings && r.Path.Contains(uuid, StringComparison.Ordinal)); }

    /// <summary>The most requests of one rate-limit category that arrived within any <paramref name="window"/>.</summary>
    public int MaxRequestsIn(string category, TimeSpan window)
    {
        DateTimeOffset[] arrivals;
        lock (_lock) arrivals = [.. _requests.Where(r => r.Category == category).Select(r => r.At)];
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
        }
    }

    internal void Record(ZoomFakeRequest request) { lock (_lock) _requests.Add(request); }

    internal void Served(ZoomFakeFault fault) { lock (_lock) _faults[fault] = _faults.GetValueOrDefault(fault) + 1; }
}
