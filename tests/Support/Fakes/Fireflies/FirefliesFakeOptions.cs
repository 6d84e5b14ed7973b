namespace CallImport.Testing.Fakes.Fireflies;

/// <summary>Fireflies' plans as its API limits them (docs.fireflies.ai/fundamentals/limits).</summary>
public enum FirefliesFakePlan { Free, Pro, Business, Enterprise }

public sealed record FirefliesFakeOptions
{
    /// <summary>The API's port (0: a free one); the media host listens on <see cref="MediaPort"/>.</summary>
    public int Port { get; init; }
    public int MediaPort { get; init; }
    public int Meetings { get; init; } = 25;
    public DateTimeOffset From { get; init; } = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    public DateTimeOffset To { get; init; } = new(2026, 2, 1, 0, 0, 0, TimeSpan.Zero);
    /// <summary>One more meeting exactly at From and one exactly at To.</summary>
    public bool MeetingsAtBounds { get; init; }
    public string ApiKey { get; init; } = "fireflies-fake-key-" + Guid.NewGuid().ToString("N")[..12];
    public FirefliesFakePlan Plan { get; init; } = FirefliesFakePlan.Business;
    public double WithAudioFraction { get; init; } = 1;
    public double WithTranscriptFraction { get; init; } = 1;
    /// <summary>Meetings Fireflies is still processing: their first <see cref="ProcessingLooks"/> detail queries say so.</summary>
    public int ProcessingMeetings { get; init; }
    public int ProcessingLooks { get; init; } = 1;
    /// <summary>The plan's limit (Business/Enterprise 60 a minute, Free/Pro 50 a day), answered with too_many_requests.</summary>
    public bool EnforceLimits { get; init; }
    public double ServerErrorFraction { get; init; }
    public double StallFraction { get; init; }
    public TimeSpan StallFor { get; init; } = TimeSpan.FromSeconds(30);
    public int MalformedMeetings { get; init; }
    /// <summary>How long a pre-signed audio_url works (Fireflies: regenerated on every query, expiring within a day).</summary>
    public TimeSpan MediaUrlLifetime { get; init; } = TimeSpan.FromHours(24);
    /// <summary>The first audio_url handed out for each meeting is already past its lifetime (a download that came too late).</summary>
    public bool FirstAudioUrlExpired { get; init; }
    public int Seed { get; init; } = 1;
    public TimeProvider Time { get; init; } = TimeProvider.System;
}
