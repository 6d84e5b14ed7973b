using CallImport.Testing.Fakes;

namespace CallImport.Testing.Fakes.Grain;

/// <summary>
/// <see cref="GrainFake"/> in the shape every vendor fake shares: a <see cref="VendorFakeScenario"/> becomes
/// Grain's options and faults. Grain v2 has no media and static keys, so the media and token knobs do not apply.
/// </summary>
public sealed class GrainVendorFake : IVendorFake
{
    private GrainVendorFake(GrainFake fake, IReadOnlyList<FakeCallTruth> calls, IReadOnlyList<FakeLimit> limits)
    {
        Fake = fake;
        Calls = calls;
        Limits = limits;
    }

    public GrainFake Fake { get; }
    public string Platform => "grain";

    public FakeCapabilities Capabilities =>
        FakeCapabilities.Transcripts | FakeCapabilities.Limits | FakeCapabilities.ServerErrors | FakeCapabilities.Stalls
        | FakeCapabilities.MalformedCalls | FakeCapabilities.CallsAtBounds | FakeCapabilities.RefusableCredentials;

    public IReadOnlyDictionary<string, string> ValidCredentials => Fake.Credentials;

    public IReadOnlyDictionary<string, string> RefusedCredentials => new Dictionary<string, string>
    {
        ["apiKey"] = "not-" + Fake.ApiKey,
        ["baseUrl"] = Fake.BaseUrl,
    };

    public IReadOnlyList<FakeCallTruth> Calls { get; }
    public FakeTrafficLog Traffic => Fake.Log;
    public IReadOnlyList<FakeLimit> Limits { get; }

    public static async Task<GrainVendorFake> StartAsync(VendorFakeScenario scenario)
    {
        var limit = scenario.EnforceLimits ? GrainFakeRateLimit.Observed : null;
        var fake = await GrainFake.StartAsync(new GrainFakeOptions
        {
            RecordingCount = scenario.Calls,
            RecordingsFrom = scenario.From,
            RecordingsTo = scenario.To,
            RecordingsAtBounds = scenario.CallsAtBounds,
            PageSize = scenario.PageSize,
            Seed = scenario.Seed,
            RateLimit = limit,
        });
        var random = new Random(scenario.Seed);
        var ids = fake.Recordings.Select(r => r.Id).ToList();
        var malformed = ids.OrderBy(_ => random.Next()).Take(scenario.MalformedCalls).ToHashSet(StringComparer.Ordinal);
        var withoutTranscript = ids.Where(_ => random.NextDouble() >= scenario.WithTranscriptFraction).ToHashSet(StringComparer.Ordinal);
        fake.Faults.MalformedDetailFor([.. malformed]);
        fake.Faults.TranscriptNotReadyFor([.. withoutTranscript]);
        if (scenario.ServerErrorFraction > 0) fake.Faults.FailFraction(scenario.ServerErrorFraction);
        if (scenario.StallFraction > 0) fake.Faults.DelayFraction(scenario.StallFraction, scenario.StallFor);
        var calls = fake.Recordings
            .Select(r => new FakeCallTruth(r.Id, r.Start, MediaSha256: null, HasTranscript: !withoutTranscript.Contains(r.Id), Malformed: malformed.Contains(r.Id)))
            .ToList();
        var limits = limit is null ? [] : new[] { new FakeLimit("overall", limit.Requests, limit.Window) };
        return new GrainVendorFake(fake, calls, limits);
    }

    public string? WhyNot(FakeCapabilities knob) => knob switch
    {
        FakeCapabilities.Media or FakeCapabilities.ExpiringMediaUrls => "Grain's public API v2 offers no recording download",
        FakeCapabilities.ExpiringTokens => "Grain's API keys are static (no token to expire)",
        _ => null,
    };

    public ValueTask DisposeAsync() => Fake.DisposeAsync();
}
