namespace CallImport.Testing.Fakes.Zoom;

/// <summary>How a <see cref="ZoomFake"/> starts. Every field has a default that gives a working fake.</summary>
public sealed record ZoomFakeOptions
{
    /// <summary>The API and OAuth host (one server, as the credentials' <c>baseUrl</c> makes it). 0 binds a free port.</summary>
    public int Port { get; init; }

    /// <summary>The storage host download URLs redirect to (Zoom's is a separate host). 0 binds a free port.</summary>
    public int StoragePort { get; init; }

    public string AccountId { get; init; } = "zoom-fake-account";
    public string ClientId { get; init; } = "zoom-fake-client";
    public string ClientSecret { get; init; } = "zoom-fake-secret";

    public int MeetingCount { get; init; } = 25;

    /// <summary>Seeds uuids, topics, hosts, times, files and transcripts: the same seed gives the same meetings.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Meetings start inside [MeetingsFrom, MeetingsTo), spread evenly.</summary>
    public DateTimeOffset MeetingsFrom { get; init; } = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    public DateTimeOffset MeetingsTo { get; init; } = new(2026, 2, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Also seed one meeting exactly at <see cref="MeetingsFrom"/> and one exactly at <see cref="MeetingsTo"/> (outside a half-open range).</summary>
    public bool MeetingsAtBounds { get; init; }

    /// <summary>Share of meetings with an MP4/M4A file (the others kept only chat/transcript: their media was deleted).</summary>
    public double WithMediaFraction { get; init; } = 1.0;

    /// <summary>Share of meetings with Audio Transcript enabled (a TRANSCRIPT VTT file).</summary>
    public double WithTranscriptFraction { get; init; } = 0.7;

    /// <summary>Share of meeting UUIDs that begin with '/' or contain '//' (which Zoom wants double-encoded).</summary>
    public double AwkwardUuidFraction { get; init; } = 0.25;

    /// <summary>Zoom's largest page is 300 meetings; a smaller cap gives many pages with few meetings.</summary>
    public int MaxPageSize { get; init; } = 300;

    /// <summary>Participants with this email domain are the account's people.</summary>
    public string InternalDomain { get; init; } = "acme.com";

    /// <summary>The account plan: its rate limits and whether past-meeting participants are available.</summary>
    public ZoomFakePlan Plan { get; init; } = ZoomFakePlan.Pro;

    /// <summary>Answer 429 beyond the plan's documented limits (Zoom's real throttling); off by default so tests run fast.</summary>
    public bool EnforceRateLimits { get; init; }

    /// <summary>Server-to-server tokens live one hour at Zoom.</summary>
    public TimeSpan TokenLifetime { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Zoom: "The expiration period for this token is 15 minutes."</summary>
    public TimeSpan PageTokenLifetime { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>How long the signed storage URL a download redirects to stays valid.</summary>
    public TimeSpan MediaUrlLifetime { get; init; } = TimeSpan.FromHours(1);

    /// <summary>The clock of tokens, page tokens, signed URLs and rate windows.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;
}

/// <summary>Zoom's plans as its rate-limit table groups them (marketplace.zoom.us/docs/api-reference/rate-limits).</summary>
public enum ZoomFakePlan { Free, Pro, Business }
