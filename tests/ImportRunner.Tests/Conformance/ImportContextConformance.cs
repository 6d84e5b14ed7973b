using CallImport.ImportRunner.Limits;
using CallImport.Testing.Fakes;

namespace CallImport.ImportRunner.Tests.Conformance;

/// <summary>
/// The cases every platform passes against its own vendor fake (from <see cref="VendorFakes"/>), importing the way
/// the runner does (<see cref="ConformanceImport"/>). A platform joins with one row:
/// <c>public sealed class GongConformance(ImportDatabase database) : ImportContextConformance("gong", database);</c>.
/// A case whose knob the fake does not honour (<see cref="IVendorFake.Capabilities"/>) is skipped with the reason.
/// </summary>
public abstract class ImportContextConformance(string platform, ImportDatabase database) : IClassFixture<ImportDatabase>
{
    protected string Platform { get; } = platform;

    [SkippableFact]
    public async Task ValidCredentials_AreAccepted_AndTheImportRuns()
    {
        var scenario = new VendorFakeScenario { Calls = 3 };
        await using var fake = await VendorFakes.StartAsync(Platform, scenario);
        await using var import = await ConformanceImport.RunAsync(database, fake, scenario, new ConformanceSettings());

        var (kind, message) = await import.StartErrorAsync();
        Assert.True(kind is null, $"{kind}: {message}\n{import.Log.Tail()}");
        await AssertMatchesTruthAsync(import, fake, scenario);
    }

    [SkippableFact]
    public async Task RefusedCredentials_StopTheImport_AsCredentialsRefused_WithoutRevealingThem()
    {
        var scenario = new VendorFakeScenario { Calls = 3 };
        await using var fake = await VendorFakes.StartAsync(Platform, scenario);
        SkipUnless(fake, FakeCapabilities.RefusableCredentials);
        await using var import = await ConformanceImport.RunAsync(database, fake, scenario, new ConformanceSettings { Credentials = fake.RefusedCredentials });

        Assert.True(import.ExitCode == ExitCodes.CouldNotStart, $"exit {import.ExitCode}\n{import.Log.Tail()}");
        var (kind, message) = await import.StartErrorAsync();
        Assert.Equal("credentials", kind);
        Assert.False(string.IsNullOrWhiteSpace(message));
        Assert.Equal(0, await import.EngagementCountAsync());
        AssertNoSecretIn(fake.RefusedCredentials, [message!, .. import.Log.Lines]);
    }

    [SkippableFact]
    public async Task EmptyAccount_CompletesWithNothingToImport()
    {
        var scenario = new VendorFakeScenario { Calls = 0 };
        await using var fake = await VendorFakes.StartAsync(Platform, scenario);
        await using var import = await ConformanceImport.RunAsync(database, fake, scenario, new ConformanceSettings());

        Assert.True(import.ExitCode == ExitCodes.Success, $"exit {import.ExitCode}\n{import.Log.Tail()}");
        Assert.Equal((0, 0, 0, 0), (import.Summary.Total, import.Summary.Processed, import.Summary.Failed, import.Summary.Pending));
        Assert.Equal(0, await import.EngagementCountAsync());
    }

    [SkippableFact]
    public async Task ManyPages_EveryCallImportedOnce()
    {
        var scenario = new VendorFakeScenario { Calls = 25, PageSize = 4 };
        await using var fake = await VendorFakes.StartAsync(Platform, scenario);
        await using var import = await ConformanceImport.RunAsync(database, fake, scenario, new ConformanceSettings());

        await AssertMatchesTruthAsync(import, fake, scenario);
        Assert.True(import.Summary.Processed > scenario.PageSize * 2, $"only {import.Summary.Processed} imported: not several pages");
    }

    [SkippableFact]
    public async Task CallsExactlyAtTheBounds_FromIsImported_ToIsNot()
    {
        var scenario = new VendorFakeScenario { Calls = 6, CallsAtBounds = true };
        await using var fake = await VendorFakes.StartAsync(Platform, scenario);
        SkipUnless(fake, FakeCapabilities.CallsAtBounds);
        await using var import = await ConformanceImport.RunAsync(database, fake, scenario, new ConformanceSettings());

        var atFrom = Assert.Single(fake.Calls, c => c.StartedAt == scenario.From);
        var atTo = Assert.Single(fake.Calls, c => c.StartedAt == scenario.To);
        var calls = await import.CallsAsync();
        Assert.Contains(calls, c => c.Id == atFrom.Id && c.Outcome == "imported");
        Assert.DoesNotContain(calls, c => c.Id == atTo.Id);
        await AssertMatchesTruthAsync(import, fake, scenario);
    }

    [SkippableFact]
    public async Task Media_StoredBytesAreTheVendors_AndCallsWithoutMediaImportWithout()
    {
        var scenario = new VendorFakeScenario { Calls = 12, WithMediaFraction = 0.5 };
        await using var fake = await VendorFakes.StartAsync(Platform, scenario);
        SkipUnless(fake, FakeCapabilities.Media);
        await using var import = await ConformanceImport.RunAsync(database, fake, scenario, new ConformanceSettings());

        await AssertMatchesTruthAsync(import, fake, scenario);
        var truth = Importable(fake, scenario).ToDictionary(c => c.Id, StringComparer.Ordinal);
        Assert.Contains(truth.Values, c => c.MediaSha256 is not null);
        foreach (var call in (await import.CallsAsync()).Where(c => c.Outcome == "imported"))
        {
            var expected = truth[call.Id].MediaSha256;
            if (expected is null)
                Assert.True(call.MediaUri is null, $"call {call.Id} has no recording at the vendor but media {call.MediaUri} was stored");
            else
                Assert.True(call.MediaUri is not null && ConformanceImport.StoredSha256(call.MediaUri) == expected, $"call {call.Id}: stored media differs from the vendor's");
        }
    }

    [SkippableFact]
    public async Task Transcripts_StoredWhereTheVendorHasThem_QueuedWhereNot()
    {
        var scenario = new VendorFakeScenario { Calls = 12, WithTranscriptFraction = 0.5 };
        await using var fake = await VendorFakes.StartAsync(Platform, scenario);
        SkipUnless(fake, FakeCapabilities.Transcripts);
        await using var import = await ConformanceImport.RunAsync(database, fake, scenario, new ConformanceSettings());

        await AssertMatchesTruthAsync(import, fake, scenario);
        var truth = Importable(fake, scenario).ToDictionary(c => c.Id, StringComparer.Ordinal);
        Assert.Contains(truth.Values, c => c.HasTranscript);
        foreach (var call in (await import.CallsAsync()).Where(c => c.Outcome == "imported"))
        {
            Assert.True(call.HasTranscript == truth[call.Id].HasTranscript, $"call {call.Id}: transcript stored {call.HasTranscript}, vendor has one {truth[call.Id].HasTranscript}");
            if (!call.HasTranscript) Assert.True(call.TranscriptionQueued, $"call {call.Id} has no transcript and none was queued");
        }
    }

    [SkippableFact]
    public async Task VendorLimitsEnforced_AreHonoured_NoCallFails_NoWindowOverTheLimit()
    {
        var scenario = new VendorFakeScenario { Calls = 8, EnforceLimits = true };
        await using var fake = await VendorFakes.StartAsync(Platform, scenario);
        SkipUnless(fake, FakeCapabilities.Limits);
        Assert.NotEmpty(fake.Limits);
        await using var import = await ConformanceImport.RunAsync(database, fake, scenario, new ConformanceSettings
        {
            VendorLimits = true,
            Retry = ConformanceSettings.Fast with { BaseDelay = TimeSpan.FromMilliseconds(200), MaxDelay = TimeSpan.FromSeconds(2) },
        });

        await AssertMatchesTruthAsync(import, fake, scenario);
        foreach (var limit in fake.Limits)
        {
            var most = fake.Traffic.MaxInAnyWindow(limit.Group, limit.Window);
            Assert.True(most <= limit.PermitLimit, $"{most} requests of group '{limit.Group}' within {limit.Window}: over the vendor's {limit.PermitLimit}");
        }
    }

    [SkippableFact]
    public async Task ServerErrors_AreRetried_AndEveryCallImports()
    {
        var scenario = new VendorFakeScenario { Calls = 12, PageSize = 3, ServerErrorFraction = 0.2 };
        await using var fake = await VendorFakes.StartAsync(Platform, scenario);
        SkipUnless(fake, FakeCapabilities.ServerErrors);
        await using var import = await ConformanceImport.RunAsync(database, fake, scenario, new ConformanceSettings());

        await AssertMatchesTruthAsync(import, fake, scenario);
        Assert.True(fake.Traffic.Requests.Any(r => r.Status >= 500), "the fake answered no 5xx: the case proved nothing");
        Assert.True(import.Requests.Retries > 0);
    }

    [SkippableFact]
    public async Task StalledAnswers_AreGivenUpAndRetried_AndEveryCallImports()
    {
        var scenario = new VendorFakeScenario { Calls = 20, PageSize = 2, StallFraction = 0.3, StallFor = TimeSpan.FromSeconds(6) };
        await using var fake = await VendorFakes.StartAsync(Platform, scenario);
        SkipUnless(fake, FakeCapabilities.Stalls);
        await using var import = await ConformanceImport.RunAsync(database, fake, scenario, new ConformanceSettings
        {
            Retry = ConformanceSettings.Fast with { AttemptTimeout = TimeSpan.FromSeconds(1) },
        });

        await AssertMatchesTruthAsync(import, fake, scenario);
        Assert.True(import.Requests.Retries > 0, $"no request was retried: no stall was seen in {fake.Traffic.Count} requests\n{import.Log.Tail()}");
    }

    [SkippableFact]
    public async Task MalformedPayload_FailsThatCallAlone_WithItsReason()
    {
        var scenario = new VendorFakeScenario { Calls = 12, MalformedCalls = 2 };
        await using var fake = await VendorFakes.StartAsync(Platform, scenario);
        SkipUnless(fake, FakeCapabilities.MalformedCalls);
        await using var import = await ConformanceImport.RunAsync(database, fake, scenario, new ConformanceSettings());

        var malformed = InRange(fake, scenario).Where(c => c.Malformed).ToList();
        Assert.Equal(2, malformed.Count);
        await AssertMatchesTruthAsync(import, fake, scenario);
        Assert.True(import.ExitCode == ExitCodes.CallsFailed, $"exit {import.ExitCode}\n{import.Log.Tail()}");
        var calls = (await import.CallsAsync()).ToDictionary(c => c.Id, StringComparer.Ordinal);
        foreach (var call in malformed)
            Assert.True(calls[call.Id] is { State: "failed", Retryable: false, LastError: { Length: > 0 } },
                $"call {call.Id} should fail permanently with its reason: {calls[call.Id]}");
    }

    [SkippableFact]
    public async Task TokenExpiringMidImport_IsRenewed_AndEveryCallImports()
    {
        var scenario = new VendorFakeScenario { Calls = 12, TokenLifetime = TimeSpan.FromSeconds(2) };
        await using var fake = await VendorFakes.StartAsync(Platform, scenario);
        SkipUnless(fake, FakeCapabilities.ExpiringTokens);
        await using var import = await ConformanceImport.RunAsync(database, fake, scenario, new ConformanceSettings { Concurrency = 2 });

        await AssertMatchesTruthAsync(import, fake, scenario);
        var tokenRequests = fake.Traffic.Requests.Count(r => r.Path.Contains("token", StringComparison.OrdinalIgnoreCase));
        Assert.True(tokenRequests > 1, $"{tokenRequests} token request(s): the token was never renewed");
    }

    [SkippableFact]
    public async Task ExpiredMediaUrl_IsFetchedAfresh_AndTheMediaStored()
    {
        var scenario = new VendorFakeScenario { Calls = 6, MediaUrlLifetime = TimeSpan.FromMinutes(1) };
        await using var fake = await VendorFakes.StartAsync(Platform, scenario);
        SkipUnless(fake, FakeCapabilities.ExpiringMediaUrls);
        await using var import = await ConformanceImport.RunAsync(database, fake, scenario, new ConformanceSettings());

        await AssertMatchesTruthAsync(import, fake, scenario);
        Assert.True(fake.Traffic.Requests.Any(r => r.Status is 400 or 403 or 410), "the fake refused no media URL as expired: the case proved nothing");
        var truth = Importable(fake, scenario).ToDictionary(c => c.Id, StringComparer.Ordinal);
        foreach (var call in (await import.CallsAsync()).Where(c => truth[c.Id].MediaSha256 is not null))
            Assert.True(call.MediaUri is not null && ConformanceImport.StoredSha256(call.MediaUri) == truth[call.Id].MediaSha256,
                $"call {call.Id}: media missing or different after a fresh URL");
    }

    private static void SkipUnless(IVendorFake fake, FakeCapabilities knob) =>
        Skip.IfNot(fake.Capabilities.HasFlag(knob),
            $"The {fake.Platform} fake does not honour {knob}: {fake.WhyNot(knob) ?? "not in its Capabilities"}.");

    private static IEnumerable<FakeCallTruth> InRange(IVendorFake fake, VendorFakeScenario scenario) =>
        fake.Calls.Where(c => c.InRange(scenario.From, scenario.To));

    private static IEnumerable<FakeCallTruth> Importable(IVendorFake fake, VendorFakeScenario scenario) =>
        InRange(fake, scenario).Where(c => c.Importable);

    /// <summary>
    /// Every call in range listed once: importable ones imported (one engagement each), skipped ones skipped with
    /// their reason, malformed ones failed; nothing else listed, nothing pending, no credential in any log line.
    /// </summary>
    private static async Task AssertMatchesTruthAsync(ConformanceImport import, IVendorFake fake, VendorFakeScenario scenario)
    {
        var truth = InRange(fake, scenario).ToList();
        var calls = (await import.CallsAsync()).ToDictionary(c => c.Id, StringComparer.Ordinal);
        var context = $"\n{import.Log.Tail()}";
        Assert.True(truth.Select(c => c.Id).Order(StringComparer.Ordinal).SequenceEqual(calls.Keys.Order(StringComparer.Ordinal), StringComparer.Ordinal),
            $"listed [{string.Join(", ", calls.Keys.Order(StringComparer.Ordinal))}] but the vendor holds [{string.Join(", ", truth.Select(c => c.Id).Order(StringComparer.Ordinal))}] in range{context}");
        foreach (var call in truth)
        {
            var stored = calls[call.Id];
            if (call.Malformed)
                Assert.True(stored.State == "failed", $"malformed call {call.Id} ended {stored}{context}");
            else if (call.SkipReason is { } reason)
                Assert.True(stored is { State: "done", Outcome: "skipped" } && stored.LastError?.Contains(reason, StringComparison.OrdinalIgnoreCase) == true,
                    $"call {call.Id} should be skipped ({reason}): {stored}{context}");
            else
                Assert.True(stored is { State: "done", Outcome: "imported" }, $"call {call.Id} should be imported: {stored}{context}");
        }
        Assert.Equal(truth.Count(c => c.Importable), await import.EngagementCountAsync());
        Assert.Equal(0, import.Summary.Pending);
        AssertNoSecretIn(fake.ValidCredentials, [.. import.Log.Lines, .. calls.Values.Select(c => c.LastError ?? "")]);
    }

    /// <summary>No credential value (other than where to find the vendor) appears in <paramref name="texts"/>.</summary>
    private static void AssertNoSecretIn(IReadOnlyDictionary<string, string> credentials, IEnumerable<string> texts)
    {
        var secrets = credentials.Where(kv => kv.Key is not ("baseUrl" or "location") && kv.Value.Length >= 6).Select(kv => (kv.Key, kv.Value)).ToList();
        foreach (var text in texts)
            foreach (var (key, value) in secrets)
                Assert.False(text.Contains(value, StringComparison.Ordinal), $"the credentials' '{key}' appears in: {text.Replace(value, "***", StringComparison.Ordinal)}");
    }
}
