namespace CallImport.ImportRunner.Limits;

/// <summary>
/// A group of requests the vendor counts together: at most <paramref name="PermitLimit"/> requests in any
/// <paramref name="Window"/> (a sliding window, as vendors count), e.g. RingCentral's Heavy group
/// <c>new("heavy", 10, TimeSpan.FromMinutes(1))</c>.
/// </summary>
public sealed record LimitGroup
{
    public LimitGroup(string name, int permitLimit, TimeSpan window)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentOutOfRangeException.ThrowIfLessThan(permitLimit, 1);
        if (window <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(window), window, "A limit group's window must be positive.");
        (Name, PermitLimit, Window) = (name, permitLimit, window);
    }

    public string Name { get; }
    public int PermitLimit { get; }
    public TimeSpan Window { get; }

    /// <summary>The average rate the group allows, in requests per second.</summary>
    public double RequestsPerSecond => PermitLimit / Window.TotalSeconds;

    /// <summary>
    /// A group for a plain rate (an ImportJob's <c>requestsPerSecond</c>): a whole number of requests over a
    /// window of whole seconds (1.5/s → 3 per 2 s; 0.01/s → 1 per 100 s; 100,000/s → 100,000 per 1 s), so the
    /// limiter never needs a timer shorter than the vendor's granularity.
    /// </summary>
    public static LimitGroup FromRate(string name, double requestsPerSecond)
    {
        if (!(requestsPerSecond > 0) || double.IsInfinity(requestsPerSecond))
            throw new ArgumentOutOfRangeException(nameof(requestsPerSecond), requestsPerSecond, "A rate must be a positive, finite number of requests per second.");
        if (requestsPerSecond < 1)
            return new LimitGroup(name, 1, TimeSpan.FromSeconds(Math.Round(1 / requestsPerSecond, 3)));
        for (var seconds = 1; seconds <= 20; seconds++)
        {
            var permits = requestsPerSecond * seconds;
            if (permits - Math.Floor(permits) < 0.01 || seconds == 20)
                return new LimitGroup(name, (int)Math.Min(int.MaxValue, Math.Floor(permits)), TimeSpan.FromSeconds(seconds));
        }
        throw new InvalidOperationException("unreachable");
    }

    public override string ToString() => $"{Name}: {PermitLimit} per {Window}";
}
