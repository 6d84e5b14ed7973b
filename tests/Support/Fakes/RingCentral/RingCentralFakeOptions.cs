namespace CallImport.Testing.Fakes.RingCentral;

/// <summary>How the RingCentral fake is seeded and how strict it is.</summary>
public sealed record RingCentralFakeOptions
{
    /// <summary>0 picks a free port.</summary>
    public int Port { get; init; }

    public string ClientId { get; init; } = "rc-fake-client-id";
    public string ClientSecret { get; init; } = "rc-fake-client-secret";

    /// <summary>The JWT credential a user generates in RingCentral's Developer Console (opaque to the fake).</summary>
    public string Jwt { get; init; } = "eyJhbGciOiJSUzI1NiJ9.rc-fake-jwt-credential.c2lnbmF0dXJl";

    public string AccountId { get; init; } = "37439510";

    /// <summary>Telephony sessions (calls as a person sees them); internal calls have two call-log records.</summary>
    public int CallCount { get; init; } = 20;

    public DateTimeOffset CallsFrom { get; init; } = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    public DateTimeOffset CallsTo { get; init; } = new(2026, 2, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>One session starts exactly at <see cref="CallsFrom"/> and one exactly at <see cref="CallsTo"/>.</summary>
    public bool CallsAtBounds { get; init; }

    /// <summary>Share of calls of 30 s or more that were recorded (shorter calls never have a recording).</summary>
    public double RecordedFraction { get; init; } = 0.7;

    /// <summary>Share of calls shorter than 30 s (missed, voicemail, quick hang-ups).</summary>
    public double ShortCallFraction { get; init; } = 0.15;

    /// <summary>Share of internal calls (extension to extension: two records, one telephony session).</summary>
    public double InternalCallFraction { get; init; } = 0.15;

    /// <summary>RingCentral's documented default page size.</summary>
    public int DefaultPerPage { get; init; } = 100;

    /// <summary>RingCentral documents no maximum; the fake caps silently here (an assumption, see README).</summary>
    public int MaxPerPage { get; init; } = 1000;

    public int Seed { get; init; } = 1;

    /// <summary>RingCentral's access tokens live about an hour.</summary>
    public TimeSpan AccessTokenLifetime { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Refresh tokens live about 7 days.</summary>
    public TimeSpan RefreshTokenLifetime { get; init; } = TimeSpan.FromDays(7);

    /// <summary>The documented default usage plan with its penalty interval; null = no throttling.</summary>
    public RingCentralFakeUsagePlan? UsagePlan { get; init; }

    /// <summary>The clock of tokens, rate windows and traffic.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;
}

/// <summary>Requests per window for each API group, and the penalty interval a 429 starts.</summary>
public sealed record RingCentralFakeUsagePlan(IReadOnlyDictionary<string, int> RequestsPerWindow, TimeSpan Window, TimeSpan PenaltyInterval)
{
    public const string Light = "Light";
    public const string Medium = "Medium";
    public const string Heavy = "Heavy";
    public const string Auth = "Auth";

    /// <summary>RingCentral's defaults (developers.ringcentral.com/guide/basics/rate-limits): per minute, 60 s penalty.</summary>
    public static RingCentralFakeUsagePlan Documented { get; } = new(
        new Dictionary<string, int> { [Light] = 50, [Medium] = 40, [Heavy] = 10, [Auth] = 5 },
        TimeSpan.FromMinutes(1),
        TimeSpan.FromSeconds(60));

    /// <summary>The documented plan with every count multiplied by <paramref name="factor"/> (tests that must not take minutes).</summary>
    public RingCentralFakeUsagePlan Scaled(int factor) =>
        this with { RequestsPerWindow = RequestsPerWindow.ToDictionary(kv => kv.Key, kv => kv.Value * factor) };
}
