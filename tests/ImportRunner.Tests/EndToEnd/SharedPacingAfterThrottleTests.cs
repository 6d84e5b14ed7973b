using CallImport.ImportRunner.Limits;
using CallImport.ImportRunner.Processing;
using CallImport.ImportRunner.Tests.Cli;
using CallImport.Testing.Fakes;
using CallImport.Testing.Fakes.Grain;
using Xunit.Abstractions;

namespace CallImport.ImportRunner.Tests.EndToEnd;

/// <summary>
/// A vendor limit lower than declared belongs to the credential, not to the process that met it: once one runner
/// was refused (429 + Retry-After) and paced itself at what got through, a second runner on the same credential
/// paces at that limit from its first request (V5: the pacing kept in the shared budget), its slots spread over the
/// window among the first runner's instead of sent together.
/// </summary>
[Collection(MeasuresArrivalTimesCollection.Name)]
public sealed class SharedPacingAfterThrottleTests(ITestOutputHelper output)
{
    [Fact]
    public async Task SecondRunnerOnACredentialTheVendorThrottled_PacesAtTheLearnedLimit_FromItsFirstRequest()
    {
        const int declared = 8;
        var window = TimeSpan.FromSeconds(1);
        // The vendor lets 4 a second through, not the 8 the runners are told: only its 429s say so.
        var vendor = new GrainFakeRateLimit(4, window);
        await using var grain = await GrainFake.StartAsync(new GrainFakeOptions { RecordingCount = 12, PageSize = 20, RateLimit = vendor });
        await using var workspace = await RunnerWorkspace.CreateAsync();
        var credentials = workspace.WriteCredentials(grain.CredentialsJson());
        var departures = Directory.CreateDirectory(Path.Combine(workspace.Directory, "departures")).FullName;
        var environment = new Dictionary<string, string>
        {
            ["CALLIMPORT_PLATFORM_RPS_OVERRIDE"] = declared.ToString(System.Globalization.CultureInfo.InvariantCulture),
            [DepartureLog.Variable] = departures,
        };
        ThreadPool.GetMinThreads(out var workers, out var io);
        ThreadPool.SetMinThreads(Math.Max(workers, 32), io);
        using var stalls = new ProcessStallWatch(threshold: MeasuresArrivalTimesCollection.FakeDelayAllowed);

        using var first = RunnerProcess.Start(Args(workspace, credentials, "first"), environment);
        // The first runner bursts at the declared limit, is refused, and records its pacing in the shared budget.
        var pacedLimit = 0L;
        for (var waited = TimeSpan.Zero; pacedLimit == 0; waited += TimeSpan.FromMilliseconds(50))
        {
            Assert.True(waited < TimeSpan.FromMinutes(1) && !first.HasExited, "the first runner never recorded a paced limit: " + first.Stderr);
            await Task.Delay(50);
            pacedLimit = await workspace.Database.CountAsync("SELECT coalesce(max(paced_limit), 0) FROM platform_rate_windows");
        }
        using var second = RunnerProcess.Start(Args(workspace, credentials, "second"), environment);
        await Task.WhenAll(first.WaitAsync(TimeSpan.FromMinutes(3)), second.WaitAsync(TimeSpan.FromMinutes(3)));

        Assert.True(first.ExitCode == ExitCodes.Success, first.Stderr);
        Assert.True(second.ExitCode == ExitCodes.Success, second.Stderr);
        Assert.Equal(24, await workspace.Database.CountAsync("SELECT count(*) FROM engagements"));
        var learned = await workspace.Database.CountAsync("SELECT max(paced_limit) FROM platform_rate_windows");
        var throttled = await workspace.Database.CountAsync("SELECT throttled_requests FROM imports WHERE customer_id = 'first'");
        var secondThrottled = await workspace.Database.CountAsync("SELECT throttled_requests FROM imports WHERE customer_id = 'second'");
        output.WriteLine($"paced limit recorded: {pacedLimit}, at the end: {learned} (the vendor's: {vendor.Requests}); 429s to the first runner: {throttled}, to the second: {secondThrottled}");
        output.WriteLine($"this process (the fake's) ran work late: {stalls}");
        Assert.InRange(learned, 1, vendor.Requests);

        // From the second runner's first slot on, every slot of either runner is at least window ÷ limit after the one
        // before it, whichever runner holds it: both pace, together. The limit in force moves as throttles teach it (each
        // refusal lowers it below the declared one), so the spacing is at least that of the declared limit less one; a
        // runner that did not pace would send its slots of a window together, at once. (Each runner maps the database's
        // clock onto its own with its own small error: a millisecond of tolerance.)
        var left = DepartureLog.Read(departures);
        var secondsFirst = left.Where(d => d.Process == second.ProcessId).Min(d => d.SlotAt);
        var together = left.Where(d => d.SlotAt >= secondsFirst).OrderBy(d => d.SlotAt).ToList();
        var spacing = GroupWindowSettings.Effective(window) / (declared - 1);
        var gaps = together.Zip(together.Skip(1), (a, b) => (Gap: b.SlotAt - a.SlotAt, From: a, To: b)).ToList();
        var closest = gaps.MinBy(g => g.Gap);
        output.WriteLine($"{together.Count} requests after the second runner's first ({together.Count(d => d.Process == first.ProcessId)} of the first runner); " +
                         $"closest slots {closest.Gap.TotalMilliseconds:0.0} ms apart (paced at most at {declared - 1} per window: {spacing.TotalMilliseconds:0.0} ms)");
        Assert.Contains(together, d => d.Process == first.ProcessId);
        Assert.True(together.Count(d => d.Process == second.ProcessId) >= 12, "the second runner's requests are missing from the departure log");
        Assert.True(closest.Gap >= spacing - TimeSpan.FromMilliseconds(1),
            $"slots {closest.Gap.TotalMilliseconds:0.0} ms apart (process {closest.From.Process} {closest.From.Path}, then {closest.To.Process} {closest.To.Path}); paced they would be at least {spacing.TotalMilliseconds:0.0} ms apart");
    }

    private static string[] Args(RunnerWorkspace workspace, string credentials, string customer) =>
    [
        "import", "--platform", "grain", "--customer", customer, "--credentials-file", credentials,
        "--from", "2026-01-01T00:00:00Z", "--to", "2026-02-01T00:00:00Z",
        "--database", workspace.ConnectionString, "--storage", new Uri(workspace.MediaDirectory).AbsoluteUri,
        "--output", "json", "--concurrency", "4",
    ];
}
