using System.Security.Cryptography;
using CallImport.Testing.Fakes;

namespace CallImport.Testing.Fakes.Gong;

/// <summary>
/// <see cref="GongFake"/> in the shape every vendor fake shares: a <see cref="VendorFakeScenario"/> becomes
/// Gong's options and faults. Gong uses a static key pair (Basic), so the token knob does not apply; private
/// calls (a few, seeded) are expected to be skipped with their reason.
/// </summary>
public sealed class GongVendorFake : IVendorFake
{
    /// <summary>The limit group Gong's documented 3 requests/s counts in (the context declares the same name).</summary>
    public const string ApiGroup = "overall";

    private GongVendorFake(GongFake fake, IReadOnlyList<FakeCallTruth> calls, IReadOnlyList<FakeLimit> limits)
    {
        Fake = fake;
        Calls = calls;
        Limits = limits;
    }

    public GongFake Fake { get; }
    public string Platform => "gong";

    public FakeCapabilities Capabilities =>
        FakeCapabilities.Media | FakeCapabilities.Transcripts | FakeCapabilities.ExpiringMediaUrls | FakeCapabilities.Limits
        | FakeCapabilities.ServerErrors | FakeCapabilities.Stalls | FakeCapabilities.MalformedCalls | FakeCapabilities.CallsAtBounds
        | FakeCapabilities.RefusableCredentials;

    public IReadOnlyDictionary<string, string> ValidCredentials => Fake.Credentials;

    public IReadOnlyDictionary<string, string> RefusedCredentials => new Dictionary<string, string>(Fake.Credentials)
    {
        ["accessKeySecret"] = "not-" + Fake.AccessKeySecret,
    };

    public IReadOnlyList<FakeCallTruth> Calls { get; }
    public FakeTrafficLog Traffic => Fake.Log;
    public IReadOnlyList<FakeLimit> Limits { get; }

    public static async Task<GongVendorFake> StartAsync(VendorFakeScenario scenario)
    {
        var limit = scenario.EnforceLimits ? GongFakeRateLimit.Documented : null;
        var fake = await GongFake.StartAsync(new GongFakeOptions
        {
            CallCount = scenario.Calls,
            CallsFrom = scenario.From,
            CallsTo = scenario.To,
            CallsAtBounds = scenario.CallsAtBounds,
            ConferenceStartSkew = false,
            PageSize = scenario.PageSize,
            MediaFraction = scenario.WithMediaFraction,
            TranscriptFraction = scenario.WithTranscriptFraction,
            Seed = scenario.Seed,
            RateLimit = limit,
            MediaUrlLifetime = scenario.MediaUrlLifetime ?? TimeSpan.FromHours(8),
        });
        var random = new Random(scenario.Seed);
        var malformed = fake.Calls.Where(c => !c.IsPrivate).Select(c => c.Id).OrderBy(_ => random.Next())
            .Take(scenario.MalformedCalls).ToHashSet(StringComparer.Ordinal);
        fake.Faults.MalformedCalls([.. malformed]);
        if (scenario.ServerErrorFraction > 0) fake.Faults.ServerErrorFraction(scenario.ServerErrorFraction);
        if (scenario.StallFraction > 0) fake.Faults.StallFraction(scenario.StallFraction, scenario.StallFor);
        // The context fetches URLs in batches; a short lifetime alone would rarely lapse before a quick download.
        // The scenario's "URLs expire" becomes: each recording's first URL is already stale, a fresh one works.
        if (scenario.MediaUrlLifetime is not null) fake.Faults.ExpireFirstDownloadOfEachRecording();
        var calls = fake.Calls
            .Select(c => new FakeCallTruth(c.Id, c.Started,
                c.ImportedMedia is { } media ? Convert.ToHexStringLower(SHA256.HashData(media)) : null,
                c.HasTranscript, malformed.Contains(c.Id), c.IsPrivate ? "private" : null))
            .ToList();
        var limits = limit is null ? [] : new[] { new FakeLimit(ApiGroup, limit.PerSecond, TimeSpan.FromSeconds(1)) };
        return new GongVendorFake(fake, calls, limits);
    }

    public string? WhyNot(FakeCapabilities knob) => knob switch
    {
        FakeCapabilities.ExpiringTokens => "Gong is imported with a static access key and secret (Basic), no token to expire",
        _ => null,
    };

    public ValueTask DisposeAsync() => Fake.DisposeAsync();
}
