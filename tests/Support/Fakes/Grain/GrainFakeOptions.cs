namespace CallImport.Testing.Fakes.Grain;

/// <summary>How a <see cref="GrainFake"/> starts. Every field has a default that gives a working fake.</summary>
public sealed record GrainFakeOptions
{
    /// <summary>0 binds a free port (tests); the standalone command passes a fixed one.</summary>
    public int Port { get; init; }

    /// <summary>The bearer token the fake accepts; any other gets 401.</summary>
    public string ApiKey { get; init; } = "grain-fake-key";

    public int RecordingCount { get; init; } = 25;

    /// <summary>Seeds ids, titles, times, participants and transcripts: the same seed gives the same recordings.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Recordings start inside [RecordingsFrom, RecordingsTo), spread evenly.</summary>
    public DateTimeOffset RecordingsFrom { get; init; } = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public DateTimeOffset RecordingsTo { get; init; } = new(2026, 2, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Participants with this email domain are internal; the others are the customers' people.</summary>
    public string InternalDomain { get; init; } = "acme.com";

    public int PageSize { get; init; } = 10;

    /// <summary>Two more recordings, exactly at <see cref="RecordingsFrom"/> and exactly at <see cref="RecordingsTo"/>.</summary>
    public bool RecordingsAtBounds { get; init; }

    /// <summary>The fake's own throttling (Grain's observed 30 requests per 20 s); null = none.</summary>
    public GrainFakeRateLimit? RateLimit { get; init; }

    /// <summary>The clock of the fake's rate limit and request-rate counters.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;
}

/// <summary>At most <paramref name="Requests"/> admitted requests in any sliding <paramref name="Window"/>.</summary>
public sealed record GrainFakeRateLimit(int Requests, TimeSpan Window)
{
    /// <summary>What clients of Grain observe: <c>x-ratelimit-limit: 30</c> over about 20 s.</summary>
    public static GrainFakeRateLimit Observed { get; } = new(30, TimeSpan.FromSeconds(20));
}
