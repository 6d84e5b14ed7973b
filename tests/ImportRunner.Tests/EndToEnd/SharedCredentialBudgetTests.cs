using Xunit.Abstractions;
using CallImport.ImportRunner.Limits;
using CallImport.ImportRunner.Processing;
using CallImport.Testing.Fakes;
using CallImport.Testing.Fakes.Grain;

namespace CallImport.ImportRunner.Tests.EndToEnd;

/// <summary>
/// One budget per vendor credential across processes: two runner processes with the same Secret against one
/// database and a fake that counts. Together they must stay inside the vendor's limit, not each at the full rate.
/// </summary>
[Collection(MeasuresArrivalTimesCollection.Name)]
public sealed class SharedCredentialBudgetTests(ITestOutputHelper output)
{
    [SkippableFact]
    public async Task TwoRunnersOnOneCredential_TogetherNeverPassTheLimitInAnyWindow()
    {
        const int limit = 8;
        var window = TimeSpan.FromSeconds(1);
        // The fake enforces the limit too (429 + Retry-After), as Grain does; a shared budget means it never has to.
        await using var grain = await GrainFake.StartAsync(new GrainFakeOptions { RecordingCount = 40, PageSize = 20, RateLimit = new GrainFakeRateLimit(limit, window) });
        await using var workspace = await RunnerWorkspace.CreateAsync();
        var credentials = workspace.WriteCredentials(grain.CredentialsJson());
        // Each runner also logs when each of its requests really left (written to its connection), on this machine's one clock.
        var departures = Directory.CreateDirectory(Path.Combine(workspace.Directory, "departures")).FullName;
        var environment = new Dictionary<string, string>
        {
            ["CALLIMPORT_PLATFORM_RPS_OVERRIDE"] = limit.ToString(System.Globalization.CultureInfo.InvariantCulture),
            [DepartureLog.Variable] = departures,
        };

        // Two ImportJobs on the same Secret (the same vendor account seen by two customers' jobs), each at the full declared rate.
        // The fake must stamp arrivals when they happen: threads enough that it never queues behind blocked ones.
        ThreadPool.GetMinThreads(out var workers, out var io);
        ThreadPool.SetMinThreads(Math.Max(workers, 32), io);
        using var stalls = new ProcessStallWatch(threshold: MeasuresArrivalTimesCollection.FakeDelayAllowed);
        var runs = await Task.WhenAll(
            workspace.RunAsync(Args(workspace, credentials, "first"), environment),
            workspace.RunAsync(Args(workspace, credentials, "second"), environment));

        try
        {
            var largest = grain.Log.MaxInAnyWindow(null, window);
            output.WriteLine($"{grain.Log.Count} requests from two runners; largest count in any {window.TotalSeconds:0} s window: {largest} (limit {limit}); 429s: {grain.Traffic.Faults(GrainFakeFault.RateLimited)}");
            output.WriteLine($"this process (the fake's) ran work late: {stalls}");
            var left = DepartureLog.Read(departures);
            if (largest > limit)
            {
                var arrivals = grain.Log.Requests.OrderBy(r => r.At).ToList();
                for (var i = 0; i < arrivals.Count; i++)
                {
                    var inWindow = arrivals.Skip(i).TakeWhile(r => r.At - arrivals[i].At < window).ToList();
                    if (inWindow.Count <= limit) continue;
                    // Beside each arrival, the same request as its runner logged it (the latest of that path to leave before it
                    // arrived): who was late, the runner (left long after its slot) or the fake (stamped long after it left)?
                    output.WriteLine("  arrival (ms into the window), then its slot / when it left, relative to the arrival:");
                    foreach (var r in inWindow)
                    {
                        var d = left.Where(d => d.Method == r.Method && d.Path.EndsWith("/" + r.Path, StringComparison.Ordinal) && d.DepartedAt <= r.At).MaxBy(d => d.DepartedAt);
                        var runner = d is null ? "" : $" slot {(d.SlotAt - r.At).TotalMilliseconds,7:0.0} left {(d.DepartedAt - r.At).TotalMilliseconds,7:0.0} (process {d.Process})";
                        output.WriteLine($"  {(r.At - arrivals[i].At).TotalMilliseconds,7:0.0} ms {r.Status} {r.Method} {r.Path}{runner}");
                    }
                    break;
                }
            }
            Assert.All(runs, r => Assert.True(r.ExitCode == ExitCodes.Success, r.Stderr));
            Assert.True(grain.Log.Count >= 2 * 40, "both runners must have worked");
            Assert.Equal(80, await workspace.Database.CountAsync("SELECT count(*) FROM engagements"));
            // Where the runners answer for it: when their requests left, both processes together, in the vendor's own window.
            var latest = left.Max(d => d.DepartedAt - d.SlotAt);
            var largestLeft = FakeTrafficLog.MaxInAnyWindow(left.Select(d => d.DepartedAt), window);
            output.WriteLine($"{left.Count} requests left the two runners ({left.Select(d => d.Process).Distinct().Count()} processes); largest count in any window as they left: {largestLeft}; latest after its slot: {latest.TotalMilliseconds:0.0} ms");
            Assert.Equal(2, left.Select(d => d.Process).Distinct().Count());
            Assert.Equal(grain.Log.Count, left.Count);
            Assert.True(largestLeft <= limit, $"{largestLeft} requests left the runners within one {window.TotalSeconds:0} s window");
            // The fake stamps a request when its process gets to run it: on a busy machine requests that arrived
            // apart get stamped together. Its arrival times are only as good as the longest delay it had; past a
            // quarter of the window they cannot judge the window at all (the limiter's own timing is checked on a
            // fake clock: LateRequestTests, AnyRateTests).
            var blur = stalls.Longest;
            Skip.If(blur > window / 4, $"this machine ran the fake's work up to {blur.TotalMilliseconds:0} ms late: its arrival times cannot judge a {window.TotalSeconds:0} s window");
            var largestBeyondBlur = grain.Log.MaxInAnyWindow(null, window - blur);
            output.WriteLine($"largest count in any {(window - blur).TotalMilliseconds:0} ms (the window less the fake's longest delay): {largestBeyondBlur}");
            Assert.True(largestBeyondBlur <= limit, $"{largestBeyondBlur} requests in one window (less {blur.TotalMilliseconds:0} ms)");
            // The fake's own limit counts on the same stamps, so 429s (retried, not failures) only count when it kept time.
            if (blur == TimeSpan.Zero) Assert.Equal(0, grain.Traffic.Faults(GrainFakeFault.RateLimited));
        }
        finally
        {
            foreach (var run in runs) run.Dispose();
        }
    }

    private static string[] Args(RunnerWorkspace workspace, string credentials, string customer) =>
    [
        "import", "--platform", "grain", "--customer", customer, "--credentials-file", credentials,
        "--from", "2026-01-01T00:00:00Z", "--to", "2026-02-01T00:00:00Z",
        "--database", workspace.ConnectionString, "--storage", new Uri(workspace.MediaDirectory).AbsoluteUri,
        "--output", "json", "--concurrency", "4",
    ];
}
