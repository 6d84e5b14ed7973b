namespace CallImport.ImportRunner.Limits;

/// <summary>
/// A platform's declared request limits: named groups, each with its own window, and a classifier from a
/// request to the groups it counts against (a request may count in several: Dialpad's get-call counts in
/// "overall" and "get-call"). A request the classifier leaves out, and every request when there is no
/// classifier, counts in the first group. No groups: the vendor documents no limit.
/// </summary>
public sealed record PlatformLimits(IReadOnlyList<LimitGroup> Groups, long? RequestsPerDay = null)
{
    /// <summary>Groups a request counts against; null or empty → the first group. A <see cref="LimitGroups.Tag"/> wins.</summary>
    public Func<HttpRequestMessage, IReadOnlyList<string>>? Classify { get; init; }

    /// <summary>The group token and other auth requests count against (RingCentral's "auth"); null → the first group.</summary>
    public string? AuthGroup { get; init; }

    /// <summary>No vendor limit (manual uploads read our own storage).</summary>
    public static PlatformLimits Unlimited { get; } = new([]);

    /// <summary>One group for every request, e.g. <c>PerWindow(30, TimeSpan.FromSeconds(20))</c>.</summary>
    public static PlatformLimits PerWindow(int permitLimit, TimeSpan window, long? requestsPerDay = null, string name = "overall") =>
        new([new LimitGroup(name, permitLimit, window)], requestsPerDay);

    public LimitGroup? DefaultGroup => Groups.Count > 0 ? Groups[0] : null;

    /// <summary>No limit of any kind: a request costs nothing another needs (manual uploads).</summary>
    public bool IsUnlimited => Groups.Count == 0 && RequestsPerDay is null;

    /// <summary>The group auth requests count against.</summary>
    public LimitGroup? AuthLimitGroup => (AuthGroup is null ? null : Group(AuthGroup)) ?? DefaultGroup;

    /// <summary>The average rate of the first group (requests per second; +∞ without groups): for display.</summary>
    public double RequestsPerSecond => DefaultGroup?.RequestsPerSecond ?? double.PositiveInfinity;

    public LimitGroup? Group(string name) => Groups.FirstOrDefault(g => g.Name == name);

    /// <summary>
    /// The groups <paramref name="request"/> counts against: by its tag, else the classifier, else the first
    /// group; plus the job's own group (<see cref="LoweredTo"/>) unless the tag says "no limit".
    /// </summary>
    public IReadOnlyList<LimitGroup> GroupsOf(HttpRequestMessage request)
    {
        if (Groups.Count == 0) return [];
        var job = Group(JobGroup);
        var vendorGroups = job is null ? Groups : [.. Groups.Where(g => g != job)];
        var tag = LimitGroups.TagOf(request);
        if (tag is { Count: 0 }) return [];
        var names = tag ?? Classify?.Invoke(request);
        var groups = names is null ? [] : names.Select(n => Group(n)).OfType<LimitGroup>().Where(g => g != job).ToList();
        if (groups.Count == 0 && vendorGroups.Count > 0) groups.Add(vendorGroups[0]);
        if (job is not null) groups.Add(job);
        return groups;
    }

    /// <summary>
    /// Applies a job's own limits, which may only lower the platform's: a rate becomes a "job" group every
    /// request also counts in; a daily cap replaces a higher one.
    /// </summary>
    public PlatformLimits LoweredTo(double? requestsPerSecond, long? requestsPerDay)
    {
        var limits = this;
        if (requestsPerSecond is { } rps && rps > 0 && !double.IsInfinity(rps) && rps < RequestsPerSecond && Group(JobGroup) is null)
            limits = limits with { Groups = [.. Groups, LimitGroup.FromRate(JobGroup, rps)] };
        if (requestsPerDay is { } perDay && perDay > 0 && (RequestsPerDay is null || perDay < RequestsPerDay))
            limits = limits with { RequestsPerDay = perDay };
        return limits;
    }

    /// <summary>The group an ImportJob's <c>rateLimit.requestsPerSecond</c> adds.</summary>
    public const string JobGroup = "job";
}
