namespace CallImport.Testing.Fakes.RingCentral;

/// <summary>
/// The RingCentral fake in the conformance suite's terms. A call is a telephony session (the engagement the
/// import makes); its truth is its earliest record's start and its one recording's SHA-256. Recordings'
/// contentUri never expires, so expiring media URLs do not apply; RingCentral has no transcripts here.
/// </summary>
public sealed class RingCentralVendorFake : IVendorFake
{
    private readonly RingCentralFake _fake;

    private RingCentralVendorFake(RingCentralFake fake, IReadOnlyList<FakeCallTruth> calls)
    {
        _fake = fake;
        Calls = calls;
    }

    public static async Task<IVendorFake> StartAsync(VendorFakeScenario scenario)
    {
        var bounds = scenario.CallsAtBounds ? 2 : 0;
        var fake = await RingCentralFake.StartAsync(new RingCentralFakeOptions
        {
            CallCount = scenario.Calls + bounds,
            CallsFrom = scenario.From,
            CallsTo = scenario.To,
            CallsAtBounds = scenario.CallsAtBounds,
            RecordedFraction = scenario.WithMediaFraction,
            // A call the scenario wants recorded must be long enough for RingCentral to keep its recording.
            ShortCallFraction = scenario.WithMediaFraction >= 1 ? 0 : 0.15,
            MaxPerPage = scenario.PageSize,
            UsagePlan = scenario.EnforceLimits ? RingCentralFakeUsagePlan.Documented : null,
            AccessTokenLifetime = scenario.TokenLifetime ?? TimeSpan.FromHours(1),
            Seed = scenario.Seed,
        });
        fake.Faults.ServerErrorFraction(scenario.ServerErrorFraction);
        if (scenario.StallFraction > 0) fake.Faults.StallFraction(scenario.StallFraction, scenario.StallFor);
        var random = new Random(scenario.Seed);
        var malformed = fake.Calls.Where(c => c.Start != scenario.From && c.Start != scenario.To)
            .OrderBy(_ => random.Next()).Take(scenario.MalformedCalls).Select(c => c.TelephonySessionId).ToHashSet(StringComparer.Ordinal);
        fake.Faults.MalformedRecords([.. fake.Calls.Where(c => malformed.Contains(c.TelephonySessionId)).Select(c => c.Records[0].Id)]);
        var calls = fake.Calls
            .Select(c => new FakeCallTruth(c.TelephonySessionId, c.Start, c.Recording?.Sha256, HasTranscript: false, Malformed: malformed.Contains(c.TelephonySessionId)))
            .ToList();
        return new RingCentralVendorFake(fake, calls);
    }

    public RingCentralFake Fake => _fake;

    public string Platform => "ringcentral";

    public FakeCapabilities Capabilities =>
        FakeCapabilities.Media | FakeCapabilities.ExpiringTokens | FakeCapabilities.Limits | FakeCapabilities.ServerErrors
        | FakeCapabilities.Stalls | FakeCapabilities.MalformedCalls | FakeCapabilities.CallsAtBounds | FakeCapabilities.RefusableCredentials;

    public IReadOnlyDictionary<string, string> ValidCredentials => _fake.Credentials;

    public IReadOnlyDictionary<string, string> RefusedCredentials =>
        new Dictionary<string, string>(_fake.Credentials) { ["jwt"] = "eyJhbGciOiJSUzI1NiJ9.revoked-jwt.c2ln" };

    public IReadOnlyList<FakeCallTruth> Calls { get; }

    public FakeTrafficLog Traffic => _fake.Traffic.Log;

    public IReadOnlyList<FakeLimit> Limits =>
        _fake.Options.UsagePlan is { } plan
            ? [.. plan.RequestsPerWindow.Select(kv => new FakeLimit(kv.Key, kv.Value, plan.Window))]
            : [];

    public string? WhyNot(FakeCapabilities knob) => knob switch
    {
        FakeCapabilities.Transcripts => "RingCentral's call log has no transcripts (they need a RingSense licence and API the context does not use)",
        FakeCapabilities.ExpiringMediaUrls => "a recording's contentUri is fetched with the bearer token and does not expire",
        _ => null,
    };

    public ValueTask DisposeAsync() => _fake.DisposeAsync();
}
