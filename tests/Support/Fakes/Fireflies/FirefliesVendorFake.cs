namespace CallImport.Testing.Fakes.Fireflies;

/// <summary>
/// <see cref="FirefliesFake"/> in the shape every vendor fake shares (Business plan). Keys do not expire, so the token
/// knob does not apply. Fireflies' page size is the client's <c>limit</c> (≤ 50), not the server's: the scenario's
/// <see cref="VendorFakeScenario.PageSize"/> does not apply either.
/// </summary>
public sealed class FirefliesVendorFake : IVendorFake
{
    private FirefliesVendorFake(FirefliesFake fake, VendorFakeScenario scenario)
    {
        Fake = fake;
        Calls = [.. fake.Meetings.Select(m => new FakeCallTruth(m.Id, m.Start, m.AudioSha256, m.HasTranscript, fake.Malformed.Contains(m.Id)))];
        Limits = scenario.EnforceLimits ? [fake.Limit] : [];
    }

    public FirefliesFake Fake { get; }
    public string Platform => "fireflies";

    public FakeCapabilities Capabilities =>
        FakeCapabilities.Media | FakeCapabilities.Transcripts | FakeCapabilities.ExpiringMediaUrls | FakeCapabilities.Limits
        | FakeCapabilities.ServerErrors | FakeCapabilities.Stalls | FakeCapabilities.MalformedCalls | FakeCapabilities.CallsAtBounds
        | FakeCapabilities.RefusableCredentials;

    public IReadOnlyDictionary<string, string> ValidCredentials => Fake.Credentials;

    public IReadOnlyDictionary<string, string> RefusedCredentials => new Dictionary<string, string>
    {
        ["apiKey"] = "not-" + Fake.ApiKey,
        ["baseUrl"] = Fake.BaseUrl,
    };

    public IReadOnlyList<FakeCallTruth> Calls { get; }
    public FakeTrafficLog Traffic => Fake.Log;
    public IReadOnlyList<FakeLimit> Limits { get; }

    public static async Task<FirefliesVendorFake> StartAsync(VendorFakeScenario scenario)
    {
        var fake = await FirefliesFake.StartAsync(new FirefliesFakeOptions
        {
            Meetings = scenario.Calls,
            From = scenario.From,
            To = scenario.To,
            MeetingsAtBounds = scenario.CallsAtBounds,
            WithAudioFraction = scenario.WithMediaFraction,
            WithTranscriptFraction = scenario.WithTranscriptFraction,
            EnforceLimits = scenario.EnforceLimits,
            ServerErrorFraction = scenario.ServerErrorFraction,
            StallFraction = scenario.StallFraction,
            StallFor = scenario.StallFor,
            MalformedMeetings = scenario.MalformedCalls,
            MediaUrlLifetime = scenario.MediaUrlLifetime ?? TimeSpan.FromHours(24),
            // A lifetime asked for means "make one expire": each meeting's first URL arrives already expired.
            FirstAudioUrlExpired = scenario.MediaUrlLifetime is not null,
            Seed = scenario.Seed,
        });
        return new FirefliesVendorFake(fake, scenario);
    }

    public string? WhyNot(FakeCapabilities knob) => knob switch
    {
        FakeCapabilities.ExpiringTokens => "Fireflies API keys do not expire; there is no token to renew",
        _ => null,
    };

    public ValueTask DisposeAsync() => Fake.DisposeAsync();
}
