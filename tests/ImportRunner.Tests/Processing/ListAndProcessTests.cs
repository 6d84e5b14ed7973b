using CallImport.ImportRunner.Tests.Conformance;
using CallImport.Testing.Fakes;
using CallImport.Testing.Fakes.Grain;

namespace CallImport.ImportRunner.Tests.Processing;

/// <summary>
/// A run that lists processes the calls already listed while the vendor still pages through the rest — against
/// Grain's fake (ten recordings a page; the run records a batch of 100 listed calls at a time) and the real
/// PostgreSQL. The listing is held, broken or made to repeat a call at a chosen page to see what the run does then.
/// </summary>
public sealed class ListAndProcessTests(ImportDatabase database) : IClassFixture<ImportDatabase>
{
    private const int Calls = 130;
    /// <summary>After the first batch of 100 listed calls is recorded (pages 1–10) and page 11 is read.</summary>
    private const int LaterPage = 12;
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task CallsListedFirst_AreImportedWhileTheListingIsStillPaging()
    {
        var scenario = new VendorFakeScenario { Calls = Calls };
        await using var fake = await GrainVendorFake.StartAsync(scenario);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        fake.Fake.Faults.HoldPage(LaterPage, release.Task);

        var importing = ConformanceImport.RunAsync(database, fake, scenario, new ConformanceSettings());
        // The listing waits at the later page; calls of the first batch are fetched meanwhile. Let it go either way.
        var fetchedWhileHeld = await PollAsync(() => DetailRequests(fake).Count(d => d.Value.Count > 0) >= 10);
        release.SetResult();
        await using var import = await importing;

        Assert.True(fetchedWhileHeld, $"no call was fetched while the listing was held at page {LaterPage}\n{import.Log.Tail()}");
        Assert.True(import.ExitCode == ExitCodes.Success, $"exit {import.ExitCode}\n{import.Log.Tail()}");
        await AssertEveryCallImportedOnceAsync(import, fake);
    }

    [Fact]
    public async Task ACallListedAgain_IsTakenOnceInTheRun_ItsRetryWaitsForTheNextPass()
    {
        var scenario = new VendorFakeScenario { Calls = Calls };
        await using var fake = await GrainVendorFake.StartAsync(scenario);
        // Page 1's first recording (the newest) comes again on the later page, after its first attempt failed: it is
        // pending again when listed again, and still must not be taken a second time before the retry pass.
        var repeated = fake.Calls.MaxBy(c => c.StartedAt)!.Id;
        fake.Fake.Faults.FailDetailFor(repeated, times: 1);
        fake.Fake.Faults.RepeatOnPage(LaterPage, fromPage: 1);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        fake.Fake.Faults.HoldPage(LaterPage, release.Task);

        var importing = ConformanceImport.RunAsync(database, fake, scenario, new ConformanceSettings
        {
            Retry = ConformanceSettings.Fast with { MaxRetries = 0 },
        });
        var failedFirst = await PollAsync(() => DetailRequests(fake)[repeated] is [{ Status: >= 500 }]);
        // Its failure recorded (the call pending again) before the page that lists it again is served.
        var recorded = failedFirst && await PollAsync(async () => await database.CountAsync(
            "SELECT count(*) FROM import_calls WHERE source_call_id = $1 AND attempts = 1 AND state = 'pending'", repeated) == 1);
        release.SetResult();
        await using var import = await importing;

        Assert.True(recorded, $"call {repeated} did not fail first as arranged\n{import.Log.Tail()}");
        Assert.True(import.ExitCode == ExitCodes.Success, $"exit {import.ExitCode}\n{import.Log.Tail()}");
        await AssertEveryCallImportedOnceAsync(import, fake);
        var details = DetailRequests(fake);
        Assert.True(details[repeated] is [{ Status: >= 500 }, { Status: 200 }],
            $"call {repeated}: detail answers {string.Join(", ", details[repeated].Select(r => r.Status))}");
        var firstPassEnds = details.Where(d => d.Key != repeated).Max(d => d.Value[0].At);
        Assert.True(details[repeated][1].At > firstPassEnds,
            $"call {repeated} was taken again at {details[repeated][1].At:O}, before the first pass ended ({firstPassEnds:O})\n{import.Log.Tail()}");
        Assert.Contains(import.Log.Lines, l => l.Contains("1 calls to retry after", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ListingBrokenPartway_EndsTheRun_TheNextRunListsAgainAndImportsTheRestOnce()
    {
        var scenario = new VendorFakeScenario { Calls = Calls };
        await using var fake = await GrainVendorFake.StartAsync(scenario);
        fake.Fake.Faults.FailPage(LaterPage);
        var settings = new ConformanceSettings { Retry = ConformanceSettings.Fast with { MaxRetries = 1 } };

        await using var import = await ConformanceImport.RunAsync(database, fake, scenario, settings);

        Assert.True(import.ExitCode == ExitCodes.Error, $"exit {import.ExitCode}\n{import.Log.Tail()}");
        Assert.Equal("PlatformUnavailable", import.Summary.StopReason);
        // Only the first batch was recorded; what was taken of it ended, the rest stays pending; the listing is not complete.
        var calls = await import.CallsAsync();
        Assert.Equal(100, calls.Count);
        Assert.All(calls, c => Assert.True(c.State is "done" or "pending", $"call {c.Id} ended {c}"));
        Assert.Equal(calls.Count(c => c.State == "done"), await import.EngagementCountAsync());
        Assert.Equal(0, await database.CountAsync("SELECT count(*) FROM imports WHERE import_id = $1 AND listing_complete", import.ImportId));

        fake.Fake.Faults.Clear();
        await import.RunAgainAsync(fake, scenario, settings);

        Assert.True(import.ExitCode == ExitCodes.Success, $"exit {import.ExitCode}\n{import.Log.Tail()}");
        await AssertEveryCallImportedOnceAsync(import, fake);
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

    /// <summary>Whether <paramref name="condition"/> came true within <see cref="Bound"/> (looked at every 20 ms).</summary>
    private static Task<bool> PollAsync(Func<bool> condition) => PollAsync(() => Task.FromResult(condition()));

    private static async Task<bool> PollAsync(Func<Task<bool>> condition)
    {
        var until = DateTime.UtcNow + Bound;
        while (!await condition())
        {
            if (DateTime.UtcNow > until) return false;
            await Task.Delay(20);
        }
        return true;
    }
}
