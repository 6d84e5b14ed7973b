using CallImport.ImportRunner.Limits;
using CallImport.ImportRunner.Platforms;

namespace CallImport.ImportRunner.Tests.Conformance;

/// <summary>How a conformance case runs its import: test-speed limits and retries unless the case is about them.</summary>
public sealed record ConformanceSettings
{
    /// <summary>The Secret's keys; null → the fake's valid credentials.</summary>
    public IReadOnlyDictionary<string, string>? Credentials { get; init; }

    /// <summary>True: the platform's own limits (the factory's), shared through PostgreSQL as in the runner; false: none.</summary>
    public bool VendorLimits { get; init; }

    public RequestRetrySettings Retry { get; init; } = Fast;

    public int Concurrency { get; init; } = 4;
    public int MaxAttemptsPerCall { get; init; } = 5;
    /// <summary>Pending calls read per page; null → the runner's own.</summary>
    public int? PendingPageSize { get; init; }
    /// <summary>Calls committed several at a time by a group commit gathering on this clock, as the runner does; null → each call alone.</summary>
    public TimeProvider? GroupCommitClock { get; init; }

    /// <summary>When the run's window closes (no new call taken after it); null → never.</summary>
    public DateTimeOffset? StopAt { get; init; }

    /// <summary>Whether the run takes calls while it lists; null → as the runner decides, from the limits.</summary>
    public bool? TakeCallsWhileListing { get; init; }

    /// <summary>What the run talks to in place of the platform's context, given it: one that watches or holds it; null → the context itself.</summary>
    public Func<IImportContext, IImportContext>? Context { get; init; }

    /// <summary>Retries of a test: quick, but as many as the runner's; an attempt that stalls is given up after a few seconds.</summary>
    public static RequestRetrySettings Fast { get; } = new()
    {
        MaxRetries = 6,
        BaseDelay = TimeSpan.FromMilliseconds(20),
        MaxDelay = TimeSpan.FromMilliseconds(250),
        AttemptTimeout = TimeSpan.FromSeconds(20),
    };
}
