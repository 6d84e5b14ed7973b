namespace CallImport.Testing.Fakes.HubSpot;

/// <summary>
/// <see cref="HubSpotFake"/> in the shape every vendor fake shares. The valid credentials are an OAuth token with
/// its refresh keys (transcripts need OAuth; tokens expire after the scenario's TokenLifetime and are renewed). A
/// call's media truth is its recording's hash only where the import can fetch it (no provider auth needed).
/// </summary>
public sealed class HubSpotVendorFake : IVendorFake
{
    private HubSpotVendorFake(HubSpotFake fake, VendorFakeScenario scenario)
    {
        Fake = fake;
        Calls = [.. fake.Calls.Select(c => new FakeCallTruth(
            c.IdText, c.Timestamp, c.RecordingNeedsProviderAuth ? null : c.RecordingSha256, c.Utterances is not null, fake.Malformed.Contains(c.Id)))];
        Limits = scenario.EnforceLimits ? [HubSpotFake.Overall, HubSpotFake.Search] : [];
    }

    public HubSpotFake Fake { get; }
    public string Platform => "hubspot";

    public FakeCapabilities Capabilities =>
        FakeCapabilities.Media | FakeCapabilities.Transcripts | FakeCapabilities.ExpiringTokens | FakeCapabilities.Limits | FakeCapabilities.ServerErrors
        | FakeCapabilities.Stalls | FakeCapabilities.MalformedCalls | FakeCapabilities.CallsAtBounds | FakeCapabilities.RefusableCredentials;

    public IReadOnlyDictionary<string, string> ValidCredentials => Fake.OAuthCredentials;

    public IReadOnlyDictionary<string, string> RefusedCredentials => new Dictionary<string, string>
    {
        ["accessToken"] = "pat-na1-00000000-0000-0000-0000-000000000000",
        ["baseUrl"] = Fake.BaseUrl,
    };

    public IReadOnlyList<FakeCallTruth> Calls { get; }
    public FakeTrafficLog Traffic => Fake.Log;
    public IReadOnlyList<FakeLimit> Limits { get; }

    public static async Task<HubSpotVendorFake> StartAsync(VendorFakeScenario scenario)
    {
        var fake = await HubSpotFake.StartAsync(new HubSpotFakeOptions
        {
            Calls = scenario.Calls,
            From = scenario.From,
            To = scenario.To,
            CallsAtBounds = scenario.CallsAtBounds,
            MaxPageSize = scenario.PageSize,
            WithMediaFraction = scenario.WithMediaFraction,
            WithTranscriptFraction = scenario.WithTranscriptFraction,
            EnforceLimits = scenario.EnforceLimits,
            ServerErrorFraction = scenario.ServerErrorFraction,
            StallFraction = scenario.StallFraction,
            StallFor = scenario.StallFor,
            MalformedCalls = scenario.MalformedCalls,
            TokenLifetime = scenario.TokenLifetime ?? TimeSpan.FromMinutes(30),
            Seed = scenario.Seed,
        });
        return new HubSpotVendorFake(fake, scenario);
    }

    public string? WhyNot(FakeCapabilities knob) => knob == FakeCapabilities.ExpiringMediaUrls
        ? "hs_call_recording_url is the calling provider's own address, not a URL HubSpot signs: there is no fresher one to ask HubSpot for"
        : null;

    public ValueTask DisposeAsync() => Fake.DisposeAsync();
}
