namespace CallImport.Testing.Fakes.Gong;

/// <summary>How a <see cref="GongFake"/> starts. Every field has a default that gives a working fake.</summary>
public sealed record GongFakeOptions
{
    /// <summary>0 binds a free port (tests); the standalone command passes a fixed one.</summary>
    public int Port { get; init; }

    /// <summary>The key pair Gong shows on its API page; Basic base64(accessKey:accessKeySecret).</summary>
    public string AccessKey { get; init; } = "GONGFAKEACCESSKEY7Q2M";

    public string AccessKeySecret { get; init; } = "gong-fake-secret-4b1e9d";

    /// <summary>An OAuth access token the fake also accepts as <c>Bearer</c>; null = OAuth not offered.</summary>
    public string? OAuthToken { get; init; } = "gong-fake-oauth-token-8c3a";

    public int CallCount { get; init; } = 25;

    /// <summary>Seeds ids, titles, times, parties, transcripts and media: the same seed gives the same calls.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Calls are matched inside [CallsFrom, CallsTo), spread evenly.</summary>
    public DateTimeOffset CallsFrom { get; init; } = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public DateTimeOffset CallsTo { get; init; } = new(2026, 2, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Also seed one call exactly at <see cref="CallsFrom"/> and one exactly at <see cref="CallsTo"/> (outside a listing to CallsTo).</summary>
    public bool CallsAtBounds { get; init; }

    /// <summary>
    /// Web conferences start a few minutes off their scheduled time (what Gong matches ranges on). Off: every
    /// call starts when it is matched, for suites that judge "in range" by the start time alone.
    /// </summary>
    public bool ConferenceStartSkew { get; init; } = true;

    /// <summary>Gong's page size: 100 for every paged endpoint.</summary>
    public int PageSize { get; init; } = 100;

    /// <summary>Share of calls that have a recording (audio, some also video).</summary>
    public double MediaFraction { get; init; } = 0.8;

    /// <summary>Share of calls that have a transcript.</summary>
    public double TranscriptFraction { get; init; } = 0.85;

    /// <summary>Share of calls marked <c>isPrivate</c>.</summary>
    public double PrivateFraction { get; init; } = 0.08;

    /// <summary>Bytes of each seeded recording (kept small; content differs per call).</summary>
    public int MediaBytes { get; init; } = 24 * 1024;

    /// <summary>Workspaces calls are spread over.</summary>
    public IReadOnlyList<string> WorkspaceIds { get; init; } = ["6019488391287562350", "8834719203948576617"];

    /// <summary>Internal users (primaryUserId is one of them).</summary>
    public int UserCount { get; init; } = 5;

    public string InternalDomain { get; init; } = "acme.com";

    /// <summary>Gong's documented limits (3/s, 10,000/day) answered with 429 + Retry-After; null = none.</summary>
    public GongFakeRateLimit? RateLimit { get; init; } = GongFakeRateLimit.Documented;

    /// <summary>How long a signed media URL stays valid: Gong documents 8 hours.</summary>
    public TimeSpan MediaUrlLifetime { get; init; } = TimeSpan.FromHours(8);

    /// <summary>The clock of the rate limits, signed URLs and request log.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;
}

/// <summary>At most <paramref name="PerSecond"/> requests in any second and <paramref name="PerDay"/> per UTC day (API hosts only, not storage).</summary>
public sealed record GongFakeRateLimit(int PerSecond, int PerDay)
{
    /// <summary>"3 calls per second and 10,000 calls per day" (Gong API introduction).</summary>
    public static GongFakeRateLimit Documented { get; } = new(3, 10_000);
}
