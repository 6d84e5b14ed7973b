using System.Globalization;

namespace CallImport.Testing.Fakes.Fathom;

/// <summary>
/// <see cref="FathomFake"/> in the shape every vendor fake shares. Fathom has no media download and keys that do
/// not expire, so the media and token knobs do not apply.
/// </summary>
public sealed class FathomVendorFake : IVendorFake
{
    private FathomVendorFake(FathomFake fake, VendorFakeScenario scenario)
    {
        Fake = fake;
        Calls = [.. fake.Meetings.Select(m => new FathomCallTruth(m, fake).Truth)];
        Limits = scenario.EnforceLimits ? [FathomFake.DocumentedLimit] : [];
    }

    public FathomFake Fake { get; }
    public string Platform => "fathom";

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

    public static async Task<FathomVendorFake> StartAsync(VendorFakeScenario scenario)
    {
        var fake = await FathomFake.StartAsync(new FathomFakeOptions
        {
            Meetings = scenario.Calls,
            From = scenario.From,
            To = scenario.To,
            MeetingsAtBounds = scenario.CallsAtBounds,
            PageSize = scenario.PageSize,
            WithTranscriptFraction = scenario.WithTranscriptFraction,
            EnforceLimits = scenario.EnforceLimits,
            ServerErrorFraction = scenario.ServerErrorFraction,
            StallFraction = scenario.StallFraction,
            StallFor = scenario.StallFor,
            MalformedMeetings = scenario.MalformedCalls,
            Seed = scenario.Seed,
        });
        return new FathomVendorFake(fake, scenario);
    }

    public string? WhyNot(FakeCapabilities knob) => knob switch
    {
        FakeCapabilities.Media or FakeCapabilities.ExpiringMediaUrls => "Fathom's public API offers no recording download",
        FakeCapabilities.ExpiringTokens => "Fathom's X-Api-Key is static, no token to expire",
        _ => null,
    };

    public ValueTask DisposeAsync() => Fake.DisposeAsync();

    private sealed record FathomCallTruth(FathomFakeMeeting Meeting, FathomFake Fake)
    {
        public FakeCallTruth Truth => new(
            Meeting.RecordingId.ToString(CultureInfo.InvariantCulture),
            Meeting.RecordingStart,
            MediaSha256: null,
            HasTranscript: !Fake.WithoutTranscript.Contains(Meeting.RecordingId),
            Malformed: Fake.Malformed.Contains(Meeting.RecordingId));
    }
}
