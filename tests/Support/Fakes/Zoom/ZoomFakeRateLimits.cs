namespace CallImport.Testing.Fakes.Zoom;

/// <summary>
/// Zoom's documented per-account limits by plan and rate-limit label: per second for every label, and per
/// day for Free and for Heavy. Sliding windows, counting only admitted requests.
/// </summary>
internal sealed class ZoomFakeRateLimits(ZoomFakePlan plan, TimeProvider time)
{
    public const string Light = "Light";
    public const string Medium = "Medium";
    public const string Heavy = "Heavy";

    private readonly Lock _lock = new();
    private readonly Dictionary<string, Queue<DateTimeOffset>> _seconds = [];
    private readonly Dictionary<string, (DateOnly Day, int Count)> _days = [];

    public static (int PerSecond, int? PerDay) Limits(ZoomFakePlan plan, string category) => (plan, category) switch
    {
        (ZoomFakePlan.Free, Light) => (4, 6_000),
        (ZoomFakePlan.Free, Medium) => (2, 2_000),
        (ZoomFakePlan.Free, _) => (1, 1_000),
        (ZoomFakePlan.Pro, Light) => (30, null),
        (ZoomFakePlan.Pro, Medium) => (20, null),
        (ZoomFakePlan.Pro, _) => (10, 30_000),
        (_, Light) => (80, null),
        (_, Medium) => (60, null),
        _ => (40, 60_000),
    };

    /// <summary>Null when admitted; else the 429's limit type ("QPS" or "Daily-limit"), limit and, for daily, when it resets.</summary>
    public (string Type, int Limit, DateTimeOffset? ResetsAt)? TryAdmit(string category, out int remaining)
    {
        var (perSecond, perDay) = Limits(plan, category);
        var now = time.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        lock (_lock)
        {
            var window = _seconds.TryGetValue(category, out var q) ? q : _seconds[category] = new Queue<DateTimeOffset>();
            while (window.TryPeek(out var oldest) && now - oldest >= TimeSpan.FromSeconds(1)) window.Dequeue();
            var day = _days.GetValueOrDefault(category);
            if (day.Day != today) day = (today, 0);
            if (perDay is { } daily && day.Count >= daily)
            {
                remaining = 0;
                return ("Daily-limit", daily, new DateTimeOffset(today.AddDays(1), TimeOnly.MinValue, TimeSpan.Zero));
            }
            if (window.Count >= perSecond)
            {
                remaining = 0;
                return ("QPS", perSecond, null);
            }
            window.Enqueue(now);
            _days[category] = (today, day.Count + 1);
            remaining = perDay is { } d ? d - day.Count - 1 : perSecond - window.Count;
            return null;
        }
    }
}
