using CallImport.ImportRunner.Platforms.Gong;
using CallImport.ImportRunner.Tests.Conformance;
using CallImport.Testing.Fakes;
using CallImport.Testing.Fakes.Gong;

namespace CallImport.ImportRunner.Tests.Platforms.Gong;

/// <summary>
/// A Gong batch holds the details and transcripts of all its calls while any of them may still ask. A whole run,
/// as the runner drives it (real PostgreSQL), checks that a call which ends for good lets go of its batch however it
/// ended, so no batch outlives its calls until the run's end.
/// </summary>
public sealed class GongBatchReleaseTests(ImportDatabase database) : IClassFixture<ImportDatabase>
{
    [Fact]
    public async Task CallOutOfTransientRetriesBeforeItsTranscript_FailsRetryable_AndNoBatchIsHeldAfterTheRun()
    {
        // The storage host keeps answering 503 for one recording: that call never reaches its transcript, while the
        // other calls of its batch fetch the batch's transcripts (its own included) and finish.
        var (scenario, fake, broken) = await FakeWithOneRecordingUnavailableAsync();
        await using var _ = fake;

        await using var import = await ConformanceImport.RunAsync(database, fake, scenario, new ConformanceSettings
        {
            Retry = ConformanceSettings.Fast with { MaxRetries = 1 },
            MaxAttemptsPerCall = 2,
        });

        Assert.True(import.ExitCode == ExitCodes.CallsFailed, $"exit {import.ExitCode}\n{import.Log.Tail()}");
        var calls = await import.CallsAsync();
        var failed = Assert.Single(calls, c => c.State == "failed");
        Assert.Equal((broken, true), (failed.Id, failed.Retryable));
        Assert.Contains("503", failed.LastError, StringComparison.Ordinal);
        Assert.Equal(2, await database.CountAsync("SELECT attempts FROM import_calls WHERE import_id = $1 AND source_call_id = $2", import.ImportId, broken));
        Assert.All(calls.Where(c => c.Id != broken), c => Assert.Equal("done", c.State));
        Assert.True(fake.Fake.Traffic.Faults(GongFakeFault.StorageUnavailable) >= 2);
        Assert.Equal(3, fake.Fake.Traffic.RequestsTo(GongFakeEndpoint.Transcript)); // the broken call's batch was filled by the others
        // Before: the failed call kept its batch, with ten calls' details and transcripts, until the run ended.
        Assert.Equal(0, ((GongContext)import.Context).HeldCalls);
    }

    [Fact]
    public async Task RetryRun_RebuildsTheBatchFromTheListing_WithOnlyItsPendingCalls_AndHoldsNothingAfter()
    {
        var (scenario, fake, broken) = await FakeWithOneRecordingUnavailableAsync();
        await using var _ = fake;
        var settings = new ConformanceSettings { Retry = ConformanceSettings.Fast with { MaxRetries = 0 }, MaxAttemptsPerCall = 1 };
        await using var import = await ConformanceImport.RunAsync(database, fake, scenario, settings);
        Assert.True(import.ExitCode == ExitCodes.CallsFailed, $"exit {import.ExitCode}\n{import.Log.Tail()}");
        var extensiveBefore = fake.Fake.Calls.ToDictionary(c => c.Id, c => fake.Fake.Traffic.ExtensiveRequestsFor(c.Id), StringComparer.Ordinal);

        // The user's retry: the failed call is pending again, and a new runner (a new context) takes it up.
        fake.Fake.Faults.Clear();
        Assert.Equal(1, await database.Store().ResetRetryableFailuresAsync(import.ImportId, CancellationToken.None));
        await import.RunAgainAsync(fake, scenario, settings);

        Assert.True(import.ExitCode == ExitCodes.Success, $"exit {import.ExitCode}\n{import.Log.Tail()}");
        Assert.Equal("done", Assert.Single(await import.CallsAsync(), c => c.Id == broken).State);
        // Its batch, rebuilt from the listing payload, asked Gong for the retried call alone: its nine peers were
        // done in the first run, and would never have come to let go of a batch holding their details.
        Assert.Equal(extensiveBefore[broken] + 1, fake.Fake.Traffic.ExtensiveRequestsFor(broken));
        Assert.All(fake.Fake.Calls.Where(c => c.Id != broken), c => Assert.Equal(extensiveBefore[c.Id], fake.Fake.Traffic.ExtensiveRequestsFor(c.Id)));
        Assert.Equal(0, ((GongContext)import.Context).HeldCalls);
    }

    /// <summary>Gong's fake with 30 calls in batches of 10, and one call whose recording the storage host never serves.</summary>
    private static async Task<(VendorFakeScenario Scenario, GongVendorFake Fake, string Broken)> FakeWithOneRecordingUnavailableAsync()
    {
        var scenario = new VendorFakeScenario { Calls = 30, PageSize = 10 };
        var fake = await GongVendorFake.StartAsync(scenario);
        var broken = fake.Fake.Calls.First(c => !c.IsPrivate && c.ImportedMedia is not null && c.HasTranscript).Id;
        fake.Fake.Faults.UnavailableRecordings(broken);
        return (scenario, fake, broken);
    }
}
