using CallImport.ImportRunner.Platforms;
using CallImport.ImportRunner.Processing;
using CallImport.ImportRunner.Tests.Conformance;
using CallImport.Testing.Fakes;
using CallImport.Testing.Fakes.Grain;

namespace CallImport.ImportRunner.Tests.Processing;

/// <summary>
/// A run over more pending calls than one page (the page lowered to a few calls), driven as the runner drives it
/// against Grain's fake and the real PostgreSQL: the pages of a pass together take every call once, and a call
/// that fails in a pass waits for the next pass, not for a later page of the same one.
/// </summary>
public sealed class ImportRunTests(ImportDatabase database) : IClassFixture<ImportDatabase>
{
    private const int PageSize = 4;

    [Fact]
    public async Task MoreCallsThanOnePage_EveryCallImportedOnce()
    {
        var scenario = new VendorFakeScenario { Calls = 23 };
        await using var fake = await GrainVendorFake.StartAsync(scenario);
        await using var import = await ConformanceImport.RunAsync(database, fake, scenario, new ConformanceSettings { PendingPageSize = PageSize });

        Assert.True(import.ExitCode == ExitCodes.Success, $"exit {import.ExitCode}\n{import.Log.Tail()}");
        await AssertEveryCallImportedOnceAsync(import, fake);
    }

    [Fact]
    public async Task EachPassesLastCommit_GoesAtOnce_WithoutWaitingForCallsThatWillNotCome()
    {
        var scenario = new VendorFakeScenario { Calls = 23 };
        await using var fake = await GrainVendorFake.StartAsync(scenario);
        // Two calls fail once: a second pass takes them. Fewer calls than a commit gathers for, on a clock that never
        // moves: each pass's commits go only because the run says, once its workers are done, that no more are coming.
        var ids = fake.Calls.Select(c => c.Id).Order(StringComparer.Ordinal).ToList();
        foreach (var id in ids[..2]) fake.Fake.Faults.FailDetailFor(id, times: 1);
        await using var import = ConformanceImport.Create(database, fake);
        await import.RunAsync(fake, scenario, new ConformanceSettings
        {
            Retry = ConformanceSettings.Fast with { MaxRetries = 0 },
            GroupCommitClock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(),
        }).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.True(import.ExitCode == ExitCodes.Success, $"exit {import.ExitCode}\n{import.Log.Tail()}");
        await AssertEveryCallImportedOnceAsync(import, fake);
        Assert.Single(import.Log.Lines, l => l.Contains("calls to retry after", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TransientFailureOnAPage_RetriedOnlyInTheNextPass_AfterEveryOtherCall()
    {
        var scenario = new VendorFakeScenario { Calls = 23 };
        await using var fake = await GrainVendorFake.StartAsync(scenario);
        // The first calls taken (page one) and one further on: each detail request fails once, with no retry by
        // the HTTP pipeline, so the call itself fails transiently and stays pending.
        var ids = fake.Calls.Select(c => c.Id).Order(StringComparer.Ordinal).ToList();
        string[] failing = [ids[0], ids[1], ids[10]];
        foreach (var id in failing) fake.Fake.Faults.FailDetailFor(id, times: 1);

        await using var import = await ConformanceImport.RunAsync(database, fake, scenario, new ConformanceSettings
        {
            PendingPageSize = PageSize,
            Retry = ConformanceSettings.Fast with { MaxRetries = 0 },
        });

        Assert.True(import.ExitCode == ExitCodes.Success, $"exit {import.ExitCode}\n{import.Log.Tail()}");
        await AssertEveryCallImportedOnceAsync(import, fake);
        var failedOnce = await database.CountAsync(
            "SELECT count(*) FROM import_calls WHERE import_id = $1 AND attempts = 1 AND source_call_id = ANY($2)", import.ImportId, failing);
        Assert.Equal(failing.Length, failedOnce);
        Assert.Equal(failing.Length, await database.CountAsync("SELECT count(*) FROM import_calls WHERE import_id = $1 AND attempts > 0", import.ImportId));

        // A second pass, after its pause, took exactly the failed calls; the first asked for every call before it.
        var retries = Assert.Single(import.Log.Lines, l => l.Contains("calls to retry after", StringComparison.Ordinal));
        Assert.Contains($"{failing.Length} calls to retry after", retries, StringComparison.Ordinal);
        var details = DetailRequests(fake);
        var firstPassEnds = ids.Max(id => details[id][0].At);
        foreach (var id in failing)
        {
            Assert.True(details[id] is [{ Status: >= 500 }, { Status: 200 }], $"call {id}: detail answers {string.Join(", ", details[id].Select(r => r.Status))}");
            Assert.True(details[id][1].At > firstPassEnds,
                $"call {id} was retried at {details[id][1].At:O}, before the pass's last first request ({firstPassEnds:O})\n{import.Log.Tail()}");
        }
    }

    [Fact]
    public async Task CallsListedFirst_AreImportedWhileTheListingGoesOn()
    {
        var scenario = new VendorFakeScenario { Calls = 150 };
        await using var fake = await GrainVendorFake.StartAsync(scenario);
        // Past the first batch of listed calls (100), the listing waits for the run to fetch one.
        WatchedListing? listing = null;
        await using var import = await ConformanceImport.RunAsync(database, fake, scenario, new ConformanceSettings
        {
            Context = platform => listing = new WatchedListing(platform) { WaitForAFetchAfter = 120 },
        });

        Assert.True(import.ExitCode == ExitCodes.Success, $"exit {import.ExitCode}\n{import.Log.Tail()}");
        Assert.True(listing!.ListingEnded);
        Assert.InRange(listing.FetchedWhileListing, 1, 120);
        await AssertEveryCallImportedOnceAsync(import, fake);
        Assert.DoesNotContain(import.Log.Lines, l => l.Contains("calls to retry after", StringComparison.Ordinal));
    }

    [Fact]
    public async Task WindowClosingMidListing_StopsTakingCalls_ButTheListingRunsToItsEnd()
    {
        var scenario = new VendorFakeScenario { Calls = 150 };
        await using var fake = await GrainVendorFake.StartAsync(scenario);
        // The window closes while the listing is slow, past the first batch: whatever was taken before, the calls listed
        // after it are recorded (the listing completes) and wait for the next window.
        WatchedListing? listing = null;
        await using var import = await ConformanceImport.RunAsync(database, fake, scenario, new ConformanceSettings
        {
            StopAt = DateTimeOffset.UtcNow.AddSeconds(2),
            Context = platform => listing = new WatchedListing(platform) { PauseAfter = 120, Pause = TimeSpan.FromSeconds(4) },
        });

        Assert.True(import.ExitCode == ExitCodes.StoppedEarly, $"exit {import.ExitCode}\n{import.Log.Tail()}");
        Assert.Equal(nameof(StopReason.WindowClosed), import.Summary.StopReason);
        Assert.True(listing!.ListingEnded);
        Assert.Equal(1, await database.CountAsync("SELECT count(*) FROM imports WHERE import_id = $1 AND listing_complete", import.ImportId));
        var calls = await import.CallsAsync();
        Assert.Equal(150, calls.Count);
        Assert.InRange(calls.Count(c => c.State == "pending"), 50, 150);
        Assert.All(calls, c => Assert.True(c.State is "done" or "pending" && c.LastError is null, $"call {c.Id} ended {c}"));
    }

    [Fact]
    public async Task CallsNotTakenWhileListing_WaitForTheWholeListing()
    {
        var scenario = new VendorFakeScenario { Calls = 150 };
        await using var fake = await GrainVendorFake.StartAsync(scenario);
        // Slow past the first batch: a run taking calls as it lists would fetch some meanwhile.
        WatchedListing? listing = null;
        await using var import = await ConformanceImport.RunAsync(database, fake, scenario, new ConformanceSettings
        {
            TakeCallsWhileListing = false,
            Context = platform => listing = new WatchedListing(platform) { PauseAfter = 120 },
        });

        Assert.True(import.ExitCode == ExitCodes.Success, $"exit {import.ExitCode}\n{import.Log.Tail()}");
        Assert.Equal(0, listing!.FetchedWhileListing);
        await AssertEveryCallImportedOnceAsync(import, fake);
    }

    [Fact]
    public void OnlyAPlatformWithoutLimits_TakesCallsWhileListing()
    {
        // A vendor's listing goes first: its calls must not spend a day's quota before the listing is done.
        var catalog = ImportContextCatalog.Shipped;
        Assert.All(catalog.Platforms, p => Assert.Equal(p == "manual", catalog.Get(p).Limits.IsUnlimited));
    }

    [Fact]
    public async Task ListingStoppedMidway_EndsTheRun_AndTheNextTakesEveryCallInItsFirstPass_NoneTwice()
    {
        var scenario = new VendorFakeScenario { Calls = 250 };
        await using var fake = await GrainVendorFake.StartAsync(scenario);
        // Two batches of listed calls are recorded (some imported meanwhile) before the platform stops answering the listing.
        WatchedListing? first = null;
        await using var import = await ConformanceImport.RunAsync(database, fake, scenario, new ConformanceSettings
        {
            Context = platform => first = new WatchedListing(platform) { WaitForAFetchAfter = 200, FailAfter = 230 },
        });

        Assert.True(import.ExitCode == ExitCodes.Error, $"exit {import.ExitCode}\n{import.Log.Tail()}");
        Assert.Equal(nameof(StopReason.PlatformUnavailable), import.Summary.StopReason);
        Assert.False(first!.ListingEnded);
        Assert.Equal(0, await database.CountAsync("SELECT count(*) FROM imports WHERE import_id = $1 AND listing_complete", import.ImportId));
        var recorded = await import.CallsAsync();
        Assert.Equal(200, recorded.Count);
        var doneBefore = recorded.Count(c => c.State == "done");
        Assert.InRange(doneBefore, 1, 200);
        Assert.All(recorded, c => Assert.True(c.State is "done" or "pending" && c.LastError is null, $"call {c.Id} ended {c}"));

        // The next run lists again: the calls recorded before, done or not, are not taken again as new, and those
        // still pending are taken in its first pass with the rest (no retry pass, no pause).
        await import.RunAgainAsync(fake, scenario, new ConformanceSettings());
        Assert.True(import.ExitCode == ExitCodes.Success, $"exit {import.ExitCode}\n{import.Log.Tail()}");
        await AssertEveryCallImportedOnceAsync(import, fake);
        Assert.Equal(250 - doneBefore, import.Summary.Processed);
        Assert.DoesNotContain(import.Log.Lines, l => l.Contains("calls to retry after", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CallFailingUnexpectedlyWhileListing_StopsTheListing_EndsTheRunWithIt_AndTheNextImportsEveryCallOnce()
    {
        var scenario = new VendorFakeScenario { Calls = 250 };
        await using var fake = await GrainVendorFake.StartAsync(scenario);
        // The first batch (100 calls) is recorded and taken; the listing is held past it until a call, after five
        // others ended, fails with an exception no handler knows; then only the run cancelling it lets it go. The call
        // taken just before the failing one is held in flight until then: the listing must not wait for it.
        await using var import = ConformanceImport.Create(database, fake);
        CallFailingUnexpectedly? platform = null;
        var thrown = await Assert.ThrowsAsync<CallFailingUnexpectedly.Fault>(() => import.RunAsync(fake, scenario, new ConformanceSettings
        {
            Context = context => platform = new CallFailingUnexpectedly(context) { FailAfterEnded = 5, HoldListingAfter = 120 },
        }));

        // Not swallowed nor wrapped: the runner's own handler ends the process with it (exit code 1, a crash).
        Assert.Same(platform!.Thrown, thrown);
        Assert.True(platform.ListingCancelled,
            $"the listing was not cancelled within {CallFailingUnexpectedly.Bound.TotalSeconds} s of the failed call (ended: {platform.ListingEnded})\n{import.Log.Tail()}");
        Assert.True(platform.ListingCancelledWithACallInFlight, "the listing was cancelled only once the calls in flight had ended");
        Assert.False(platform.ListingEnded);
        Assert.Equal(0, platform.ListedAfterFailure);
        // The workers stop too: the failing call throws before its first await, so the pass knows at once; only a
        // worker already past its wait for the next call may still take that one.
        Assert.InRange(platform.FetchesAfterFailure, 0, new ConformanceSettings().Concurrency - 1);
        Assert.Equal(0, await database.CountAsync("SELECT count(*) FROM imports WHERE import_id = $1 AND listing_complete", import.ImportId));

        // Nothing lost: the calls taken before the failure ran to their end and stay done; the failing call and the
        // rest of the batch stay pending, untouched; the calls not recorded yet are listed by the next run.
        var recorded = await import.CallsAsync();
        Assert.Equal(100, recorded.Count);
        var done = recorded.Where(c => c.State == "done").Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
        Assert.True(done.Count >= 5, $"{done.Count} calls done");
        Assert.Equal(platform.Fetched.Order(StringComparer.Ordinal), done.Order(StringComparer.Ordinal));
        Assert.All(recorded, c => Assert.True(c is { State: "done", Outcome: "imported", LastError: null } or { State: "pending", LastError: null }, $"call {c.Id} ended {c}"));
        Assert.Contains(recorded, c => c is { State: "pending" } && c.Id == thrown.SourceCallId);
        Assert.Equal(0, await database.CountAsync("SELECT count(*) FROM import_calls WHERE import_id = $1 AND attempts > 0", import.ImportId));
        Assert.Equal(done.Count, await import.EngagementCountAsync());

        await import.RunAgainAsync(fake, scenario, new ConformanceSettings());
        Assert.True(import.ExitCode == ExitCodes.Success, $"exit {import.ExitCode}\n{import.Log.Tail()}");
        await AssertEveryCallImportedOnceAsync(import, fake);
        Assert.Equal(250 - done.Count, import.Summary.Processed);
        Assert.Equal(250, await database.CountAsync(
            "SELECT count(*) FROM (SELECT source_call_id FROM engagements WHERE customer_id = $1 AND import_source = $2 GROUP BY source_call_id HAVING count(*) = 1) once",
            import.CustomerId, import.Platform));
    }

    /// <summary>Every call done and imported, one engagement each, its detail served successfully exactly once.</summary>
    private static async Task AssertEveryCallImportedOnceAsync(ConformanceImport import, GrainVendorFake fake)
    {
        var calls = await import.CallsAsync();
        Assert.Equal(fake.Calls.Select(c => c.Id).Order(StringComparer.Ordinal), calls.Select(c => c.Id).Order(StringComparer.Ordinal));
        Assert.All(calls, c => Assert.True(c is { State: "done", Outcome: "imported" }, $"call {c.Id} ended {c}"));
        Assert.Equal(fake.Calls.Count, await import.EngagementCountAsync());
        var details = DetailRequests(fake);
        Assert.All(fake.Calls, c => Assert.Equal(1, details[c.Id].Count(r => r.Status == 200)));
    }

    /// <summary>Each recording's detail requests (POST v2/recordings/{id}) in the order they arrived.</summary>
    private static Dictionary<string, List<FakeRequest>> DetailRequests(GrainVendorFake fake)
    {
        var details = fake.Calls.ToDictionary(c => c.Id, _ => new List<FakeRequest>(), StringComparer.Ordinal);
        foreach (var request in fake.Traffic.Requests.Where(r => r.Method == "POST").OrderBy(r => r.At))
            if (request.Path.Split('/') is ["v2", "recordings", var id] && details.TryGetValue(id, out var list))
                list.Add(request);
        return details;
    }
}
