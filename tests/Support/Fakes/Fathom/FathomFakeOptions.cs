namespace CallImport.Testing.Fakes.Fathom;

public sealed record FathomFakeOptions
{
    public int Port { get; init; }
    public int Meetings { get; init; } = 25;
    public DateTimeOffset From { get; init; } = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    public DateTimeOffset To { get; init; } = new(2026, 2, 1, 0, 0, 0, TimeSpan.Zero);
    /// <summary>One more meeting recorded exactly at From and one exactly at To.</summary>
    public bool MeetingsAtBounds { get; init; }
    /// <summary>Fathom's page (its examples show 10; the size cannot be chosen by the client).</summary>
    public int PageSize { get; init; } = 10;
    public string ApiKey { get; init; } = "fathom-fake-key-" + Guid.NewGuid().ToString("N")[..12];
    public double WithTranscriptFraction { get; init; } = 1;
    /// <summary>Fathom's documented 60 requests per 60 s per user, answered with 429 and RateLimit-* headers.</summary>
    public bool EnforceLimits { get; init; }
    public double ServerErrorFraction { get; init; }
    public double StallFraction { get; init; }
    public TimeSpan StallFor { get; init; } = TimeSpan.FromSeconds(30);
    public int MalformedMeetings { get; init; }
    public int Seed { get; init; } = 1;
    public TimeProvider Time { get; init; } = TimeProvider.System;
}
