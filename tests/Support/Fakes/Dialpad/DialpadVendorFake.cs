using System.Globalization;

namespace CallImport.Testing.Fakes.Dialpad;

/// <summary><see cref="DialpadFake"/> in the shape every vendor fake shares. Keys do not expire; recording URL expiry is not documented.</summary>
public sealed class DialpadVendorFake : IVendorFake
{
    private DialpadVendorFake(DialpadFake fake, VendorFakeScenario scenario)
    {
        Fake = fake;
        Calls = [.. fake.Calls.Select(c => new FakeCallTruth(
            c.CallId.ToString(CultureInfo.InvariantCulture), c.Started, c.RecordingSha256, c.Lines is not null, fake.Malformed.Contains(c.CallId)))];
        Limits = scenario.EnforceLimits ? [DialpadFake.Overall, DialpadFake.GetCall] : [];
    }

    public DialpadFake Fake { get; }
    public string Platform => "dialpad";

    public FakeCapabilities Capabilities =>
        FakeCapabilities.Media | FakeCapabilities.Transcripts | FakeCapabilities.Limits | FakeCapabilities.ServerErrors | FakeCapabilities.Stalls
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

    public static async Task<DialpadVendorFake> StartAsync(VendorFakeScenario scenario)
    {
        var fake = await DialpadFake.StartAsync(new DialpadFakeOptions
        {
            Calls = scenario.Calls,
            From = scenario.From,
            To = scenario.To,
            CallsAtBounds = scenario.CallsAtBounds,
            PageSize = scenario.PageSize,
            WithMediaFraction = scenario.WithMediaFraction,
            WithTranscriptFraction = scenario.WithTranscriptFraction,
            EnforceLimits = scenario.EnforceLimits,
            ServerErrorFraction = scenario.ServerErrorFraction,
            StallFraction = scenario.StallFraction,
            StallFor = scenario.StallFor,
            MalformedCalls = scenario.MalformedCalls,
            Seed = scenario.Seed,
        });
        return new DialpadVendorFake(fake, scenario);
    }

    public string? WhyNot(FakeCapabilities knob) => knob switch
    {
        FakeCapabilities.ExpiringTokens => "Dialpad API keys are static bearer keys, no token to expire",
        FakeCapabilities.ExpiringMediaUrls => "whether Dialpad's recording URLs expire is not documented (platform-apis.md)",
        _ => null,
    };

    public ValueTask DisposeAsync() => Fake.DisposeAsync();
}
