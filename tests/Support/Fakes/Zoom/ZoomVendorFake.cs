using CallImport.Testing.Fakes;

namespace CallImport.Testing.Fakes.Zoom;

/// <summary>
/// <see cref="ZoomFake"/> in the shape every vendor fake shares: a <see cref="VendorFakeScenario"/> becomes
/// Zoom's options and faults. Limits are the Pro plan's (Light 30/s, Medium 20/s), the plan the context assumes.
/// </summary>
public sealed class ZoomVendorFake : IVendorFake
{
    private ZoomVendorFake(ZoomFake fake, IReadOnlyList<FakeCallTruth> calls, IReadOnlyList<FakeLimit> limits)
    {
        Fake = fake;
        Calls = calls;
        Limits = limits;
    }

    public ZoomFake Fake { get; }
    public string Platform => "zoom";

    public FakeCapabilities Capabilities =>
        FakeCapabilities.Media | FakeCapabilities.Transcripts | FakeCapabilities.ExpiringTokens | FakeCapabilities.ExpiringMediaUrls
        | FakeCapabilities.Limits | FakeCapabilities.ServerErrors | FakeCapabilities.Stalls | FakeCapabilities.MalformedCalls
        | FakeCapabilities.CallsAtBounds | FakeCapabilities.RefusableCredentials;

    public IReadOnlyDictionary<string, string> ValidCredentials => Fake.Credentials;

    public IReadOnlyDictionary<string, string> RefusedCredentials =>
        new Dictionary<string, string>(Fake.Credentials) { ["clientSecret"] = "not-" + Fake.ClientSecret };

    public IReadOnlyList<FakeCallTruth> Calls { get; }
    public FakeTrafficLog Traffic => Fake.Log;
    public IReadOnlyList<FakeLimit> Limits { get; }

    public static async Task<ZoomVendorFake> StartAsync(VendorFakeScenario scenario)
    {
        var options = new ZoomFakeOptions
        {
            MeetingCount = scenario.Calls,
            MeetingsFrom = scenario.From,
            MeetingsTo = scenario.To,
            MeetingsAtBounds = scenario.CallsAtBounds,
            MaxPageSize = scenario.PageSize,
            WithMediaFraction = scenario.WithMediaFraction,
            WithTranscriptFraction = scenario.WithTranscriptFraction,
            EnforceRateLimits = scenario.EnforceLimits,
            TokenLifetime = scenario.TokenLifetime ?? TimeSpan.FromHours(1),
            MediaUrlLifetime = scenario.MediaUrlLifetime ?? TimeSpan.FromHours(1),
            Seed = scenario.Seed,
        };
        var fake = await ZoomFake.StartAsync(options);
        var random = new Random(scenario.Seed);
        var malformed = fake.Meetings.Select(m => m.Uuid).OrderBy(_ => random.Next()).Take(scenario.MalformedCalls).ToHashSet(StringComparer.Ordinal);
        fake.Faults.MalformedMeetings([.. malformed]);
        if (scenario.ServerErrorFraction > 0) fake.Faults.ServerErrorFraction(scenario.ServerErrorFraction);
        if (scenario.StallFraction > 0) fake.Faults.StallFraction(scenario.StallFraction, scenario.StallFor);
        // Zoom mints the signed storage URL when download_url is fetched, so a short lifetime alone never expires one
        // in transit; the scenario's "URLs expire" becomes: each file's first storage URL is already stale.
        if (scenario.MediaUrlLifetime is not null) fake.Faults.ExpireFirstStorageUrlOfEachFile();
        var calls = fake.Meetings
            .Select(m => new FakeCallTruth(m.Uuid, m.Start, m.Media?.Sha256, m.Transcript is not null, malformed.Contains(m.Uuid)))
            .ToList();
        var limits = scenario.EnforceLimits
            ? new[] { ZoomFakeRateLimits.Light, ZoomFakeRateLimits.Medium }
                .Select(c => new FakeLimit(c, ZoomFakeRateLimits.Limits(options.Plan, c).PerSecond, TimeSpan.FromSeconds(1))).ToList()
            : [];
        return new ZoomVendorFake(fake, calls, limits);
    }

    public ValueTask DisposeAsync() => Fake.DisposeAsync();
}
