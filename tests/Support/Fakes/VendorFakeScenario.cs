namespace CallImport.Testing.Fakes;

/// <summary>
/// What a vendor fake holds and how it misbehaves, in the same words for every platform (the conformance
/// suite and the end-to-end tests start every fake with one). A fake that cannot honour a knob says so in
/// <see cref="IVendorFake.Capabilities"/>; the suite then skips that case with the reason.
/// </summary>
public sealed record VendorFakeScenario
{
    /// <summary>Calls inside [From, To) (plus the two at the bounds when <see cref="CallsAtBounds"/>).</summary>
    public int Calls { get; init; } = 25;
    public DateTimeOffset From { get; init; } = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    public DateTimeOffset To { get; init; } = new(2026, 2, 1, 0, 0, 0, TimeSpan.Zero);
    /// <summary>The vendor's page size (small, so a listing has many pages).</summary>
    public int PageSize { get; init; } = 10;
    /// <summary>One more call exactly at <see cref="From"/> (imported) and one exactly at <see cref="To"/> (not: the range is half-open).</summary>
    public bool CallsAtBounds { get; init; }
    /// <summary>Share of calls with a recording (seeded choice).</summary>
    public double WithMediaFraction { get; init; } = 1;
    /// <summary>Share of calls with a transcript.</summary>
    public double WithTranscriptFraction { get; init; } = 1;
    /// <summary>Share of requests answered with a 5xx (seeded).</summary>
    public double ServerErrorFraction { get; init; }
    /// <summary>Share of requests answered only after <see cref="StallFor"/> (longer than the client's attempt timeout).</summary>
    public double StallFraction { get; init; }
    public TimeSpan StallFor { get; init; } = TimeSpan.FromSeconds(30);
    /// <summary>Calls whose detail payload does not parse or lacks required fields: each fails alone.</summary>
    public int MalformedCalls { get; init; }
    /// <summary>The vendor's real limits, answered with its real throttle signal.</summary>
    public bool EnforceLimits { get; init; }
    /// <summary>Tokens the fake issues expire after this (mid-import); null → the vendor's own lifetime.</summary>
    public TimeSpan? TokenLifetime { get; init; }
    /// <summary>Signed media URLs the fake hands out expire after this; null → the vendor's own.</summary>
    public TimeSpan? MediaUrlLifetime { get; init; }
    public int Seed { get; init; } = 1;
}
