namespace CallImport.Testing.Fakes;

/// <summary>One request as a fake saw it: when it arrived, what it was, the answer, and the limit group as the VENDOR counts it.</summary>
public sealed record FakeRequest(DateTimeOffset At, string Method, string Path, int Status, string? LimitGroup);

/// <summary>Every request a fake received, for assertions on limits and counts. Thread-safe.</summary>
public sealed class FakeTrafficLog
{
    private readonly Lock _lock = new();
    private readonly List<FakeRequest> _requests = [];

    public void Add(FakeRequest request)
    {
        lock (_lock) _requests.Add(request);
    }

    public IReadOnlyList<FakeRequest> Requests { get { lock (_lock) return [.. _requests]; } }

    public int Count { get { lock (_lock) return _requests.Count; } }

    public int CountWithStatus(int status) { lock (_lock) return _requests.Count(r => r.Status == status); }

    /// <summary>
    /// The most requests of <paramref name="group"/> (null: all) that arrived within any <paramref name="window"/>
    /// (half-open, as vendors count), refused ones included.
    /// </summary>
    public int MaxInAnyWindow(string? group, TimeSpan window)
    {
        DateTimeOffset[] arrivals;
        lock (_lock) arrivals = [.. _requests.Where(r => group is null || r.LimitGroup == group).Select(r => r.At)];
        return MaxInAnyWindow(arrivals, window);
    }

    public static int MaxInAnyWindow(IEnumerable<DateTimeOffset> times, TimeSpan window)
    {
        var arrivals = times.Order().ToArray();
        var max = 0;
        for (int first = 0, last = 0; last < arrivals.Length; last++)
        {
            while (arrivals[last] - arrivals[first] >= window) first++;
            max = Math.Max(max, last - first + 1);
        }
        return max;
    }

    public void Clear()
    {
        lock (_lock) _requests.Clear();
    }
}
