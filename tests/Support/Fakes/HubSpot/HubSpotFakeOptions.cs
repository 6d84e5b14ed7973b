namespace CallImport.Testing.Fakes.HubSpot;

public sealed record HubSpotFakeOptions
{
    /// <summary>The API port (0: a free one); the calling provider's recordings are served on a second, free port.</summary>
    public int Port { get; init; }
    public int Calls { get; init; } = 25;
    public DateTimeOffset From { get; init; } = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    public DateTimeOffset To { get; init; } = new(2026, 2, 1, 0, 0, 0, TimeSpan.Zero);
    public bool CallsAtBounds { get; init; }
    /// <summary>The largest search page the fake serves (HubSpot: 200); smaller makes many pages.</summary>
    public int MaxPageSize { get; init; } = 200;
    /// <summary>Share of calls with a recording URL (the rest have an empty <c>hs_call_recording_url</c>).</summary>
    public double WithMediaFraction { get; init; } = 1;
    /// <summary>Share of recordings whose provider wants its own auth (401 to the import): imported without media.</summary>
    public double ProviderAuthFraction { get; init; }
    /// <summary>Share of calls HubSpot transcribed (<c>hs_call_has_transcript</c>).</summary>
    public double WithTranscriptFraction { get; init; } = 1;
    /// <summary>Share of calls that share the exact millisecond of the call before them (ties in the sort).</summary>
    public double TiedTimestampFraction { get; init; } = 0.02;
    /// <summary>HubSpot's documented limits (100 per 10 s, search 5/s), answered 429 with its RATE_LIMIT body.</summary>
    public bool EnforceLimits { get; init; }
    public double ServerErrorFraction { get; init; }
    public double StallFraction { get; init; }
    public TimeSpan StallFor { get; init; } = TimeSpan.FromSeconds(30);
    /// <summary>Calls whose batch-read record has an unreadable <c>hs_timestamp</c>: each fails alone.</summary>
    public int MalformedCalls { get; init; }
    /// <summary>OAuth access tokens' lifetime (HubSpot: 30 minutes).</summary>
    public TimeSpan TokenLifetime { get; init; } = TimeSpan.FromMinutes(30);
    public int Seed { get; init; } = 1;
    public TimeProvider Time { get; init; } = TimeProvider.System;
}
