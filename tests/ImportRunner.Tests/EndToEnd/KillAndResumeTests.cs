using CallImport.ImportRunner.Processing;
using CallImport.ImportRunner.Tests.Cli;
using CallImport.Testing.Fakes.Grain;

namespace CallImport.ImportRunner.Tests.EndToEnd;

/// <summary>
/// A runner killed at random points (like a crashed pod) and started again ends with every call imported
/// exactly once: no duplicate engagement, no lost call, no half-written media left behind.
/// </summary>
public sealed class KillAndResumeTests
{
    private static readonly List<string> Notes = [];

    /// <summary>
    /// Returns how many kills hit a runner that was still working. With <paramref name="gate"/> (given the run's
    /// number), each killed runner works behind a <see cref="CommitGate"/> it cannot pass, so it is still working
    /// when the kill comes, however late the test gets to it.
    /// </summary>
    private static async Task<int> KillRepeatedlyThenFinishAsync(RunnerWorkspace workspace, IReadOnlyList<string> args, int kills, int seed,
        Func<Task<long>> progress, Func<long, bool> worthKilling, Func<int, long>? killAt = null, Func<int, Task<CommitGate>>? gate = null)
    {
        var random = new Random(seed);
        var killedMidRun = 0;
        for (var i = 0; i < kills; i++)
        {
            await using var closed = gate is null ? null : await gate(i);
            using var runner = RunnerProcess.Start(args, RunnerWorkspace.FastFakeEnvironment);
            // Kill once the run has done some work (or straight away, once in a while), at a random moment.
            var target = killAt?.Invoke(i) ?? await progress() + random.Next(1, 12);
            var deadline = DateTime.UtcNow.AddSeconds(60);
            // Or once the runner waits at its gate, when the calls of the commit held there include the target.
            while (!runner.HasExited && DateTime.UtcNow < deadline && !(worthKilling(await progress()) && await progress() >= target)
                   && !(closed is not null && await closed.HoldsBackAsync()))
                await Task.Delay(random.Next(1, 5));
            var done = await progress();
            if (!runner.HasExited && worthKilling(done)) killedMidRun++;
            else lock (Notes) Notes.Add($"run {i}: exited={runner.HasExited} done={done} target={target} stderr={runner.Stderr[Math.Max(0, runner.Stderr.Length - 600)..]}");
            await runner.KillAsync();
            if (closed is not null) await closed.ReleaseAsync();
        }
        return killedMidRun;
    }

    [Fact]
    public async Task GrainRunKilledFourTimes_EndsWithEachCallImportedOnce()
    {
        await using var grain = await GrainFake.StartAsync(new GrainFakeOptions { RecordingCount = 150, PageSize = 20 });
        var notReady = grain.Recordings.Where((_, i) => i % 10 == 0).Select(r => r.Id).ToArray();
        grain.Faults.TranscriptNotReadyFor(notReady);
        await using var workspace = await RunnerWorkspace.CreateAsync();
        var args = workspace.ImportArgs("grain", workspace.WriteCredentials(grain.CredentialsJson()), "--concurrency", "6", "--requests-per-second", "40");

        // As in the manual-upload tests below, each killed runner works behind a gate a little past its kill, so a
        // stalled test host cannot let it finish the import first: the gate is the call the runner takes that many
        // calls on, in its own order (the pending calls' ORDER BY; before the first listing, the recordings' ids
        // in the database's order: the listing's two batches may put some later, so that kill may land sooner).
        var kills = new Dictionary<int, long>();
        async Task<CommitGate> GateAsync(int run)
        {
            var order = await RunnersOrderAsync(workspace, grain.Recordings.Select(r => r.Id).ToArray());
            var done = await workspace.Database.CountAsync("SELECT count(*) FROM engagements");
            var step = new Random(run).Next(1, 12);
            kills[run] = done + step;
            return await CommitGate.CloseAsync(workspace.Database, "acme", "grain", order[Math.Min(order.Count - 1, step + 20)]);
        }
        var killed = await KillRepeatedlyThenFinishAsync(workspace, args, kills: 4, seed: 7,
            () => workspace.Database.CountAsync("SELECT count(*) FROM engagements"), done => done < 150, run => kills[run], GateAsync);
        Assert.True(killed == 4, $"only {killed} of 4 kills hit a working runner: {string.Join(" | ", Notes)}");
        using var last = await workspace.RunAsync(args);

        Assert.True(last.ExitCode == ExitCodes.Success, last.Stderr);
        var summary = RunnerWorkspace.Summary(last);
        Assert.Equal((150, 0, 0), (summary.Total, summary.Failed, summary.Pending));
        Assert.Equal(150, summary.Processed + summary.Skipped);
        Assert.Equal(150, await workspace.Database.CountAsync("SELECT count(*) FROM engagements"));
        Assert.Equal(150, await workspace.Database.CountAsync("SELECT count(DISTINCT source_call_id) FROM engagements"));
        Assert.Equal(grain.Recordings.Count, await workspace.Database.CountAsync("SELECT count(*) FROM import_calls WHERE state = 'done' AND outcome = 'imported'"));
        Assert.Equal(notReady.Length, await workspace.Database.CountAsync("SELECT count(*) FROM transcription_requests"));
        Assert.Equal(1, await workspace.Database.CountAsync("SELECT count(DISTINCT import_batch_id) FROM engagements"));
    }

    /// <summary>
    /// The calls a run will take, in its order: the pending calls as ImportStore.PendingCallIdsAsync orders them; before
    /// anything is listed, <paramref name="all"/> in the database's order of ids.
    /// </summary>
    private static async Task<IReadOnlyList<string>> RunnersOrderAsync(RunnerWorkspace workspace, string[] all)
    {
        var listed = await workspace.Database.CountAsync("SELECT count(*) FROM import_calls") > 0;
        await using var query = workspace.Database.DataSource.CreateCommand(listed
            ? "SELECT source_call_id FROM import_calls WHERE state = 'pending' ORDER BY attempts, listed_at, source_call_id"
            : "SELECT id FROM unnest($1::text[]) AS id ORDER BY id");
        if (!listed) query.Parameters.AddWithValue(all);
        var order = new List<string>();
        await using var reader = await query.ExecuteReaderAsync();
        while (await reader.ReadAsync()) order.Add(reader.GetString(0));
        return order;
    }

    [Fact]
    public async Task ManualUploadKilledMidMedia_EndsWithEveryRecordingStoredOnceAndNoPartialFiles()
    {
        await using var workspace = await RunnerWorkspace.CreateAsync();
        var upload = Directory.CreateDirectory(Path.Combine(workspace.Directory, "upload")).FullName;
        var sizes = new Dictionary<string, long>();
        const int calls = 120;
        for (var i = 0; i < calls; i++)
        {
            var name = $"call-{i:D3}.mp3";
            // Large enough, one at a time, that a kill lands mid-run however fast the pipeline gets.
            var bytes = new byte[1_500_000 + i * 1000];
            new Random(i).NextBytes(bytes);
            await File.WriteAllBytesAsync(Path.Combine(upload, name), bytes);
            sizes[name] = bytes.Length;
        }
        var args = workspace.ImportArgs("manual", workspace.WriteCredentials($$"""{"location":"{{upload}}"}"""), "--concurrency", "1");

        // Kills spread over the run. Local files go fast: on a loaded machine the test looked at the progress only
        // once a runner had imported every call, leaving the other kills nothing to hit. So each killed runner
        // works behind a gate a little past its kill (calls go in id order at concurrency 1), short of the next
        // run's kill: every kill hits a runner still at work.
        long KillAt(int run) => calls * (run + 1) / 6 + new Random(run).Next(0, 5);
        var killed = await KillRepeatedlyThenFinishAsync(workspace, args, kills: 4, seed: 11,
            () => workspace.Database.CountAsync("SELECT count(*) FROM engagements"), done => done < calls, KillAt,
            gate: run => CommitGate.CloseAsync(workspace.Database, "acme", "manual", $"call-{KillAt(run) + 15:D3}.mp3"));
        Assert.True(killed == 4, $"only {killed} of 4 kills hit a working runner: {string.Join(" | ", Notes)}");
        using var last = await workspace.RunAsync(args);

        Assert.True(last.ExitCode == ExitCodes.Success, last.Stderr);
        Assert.Equal(calls, await workspace.Database.CountAsync("SELECT count(*) FROM engagements WHERE media_uri IS NOT NULL"));
        var stored = Directory.GetFiles(workspace.MediaDirectory, "*", SearchOption.AllDirectories);
        Assert.DoesNotContain(stored, f => f.EndsWith(".partial", StringComparison.Ordinal));
        Assert.Equal(calls, stored.Length);
        foreach (var (name, size) in sizes)
        {
            var file = Assert.Single(stored, f => f.Contains(Uri.EscapeDataString(name), StringComparison.Ordinal));
            Assert.Equal(size, new FileInfo(file).Length);
        }
    }

    [Fact]
    public async Task ManualUploadAtConcurrency8KilledMidGroupCommits_EndsWithEachCallImportedOnce()
    {
        // Many calls finishing at once, so that commits take several calls each and kills land between a
        // call's stored media and its (shared) commit.
        await using var workspace = await RunnerWorkspace.CreateAsync();
        var upload = Directory.CreateDirectory(Path.Combine(workspace.Directory, "upload")).FullName;
        const int calls = 600;
        for (var i = 0; i < calls; i++)
        {
            var bytes = new byte[100_000 + i];
            new Random(i).NextBytes(bytes);
            await File.WriteAllBytesAsync(Path.Combine(upload, $"call-{i:D3}.mp3"), bytes);
        }
        var args = workspace.ImportArgs("manual", workspace.WriteCredentials($$"""{"location":"{{upload}}"}"""), "--concurrency", "8");

        // Kills by a tenth of the calls each: a fast runner overshoots its target before the kill lands, and the
        // last run must still have calls of its own (at one sixth each it sometimes had none left). A test host
        // stalled on a loaded machine let the first runner import every call before its kill: each killed runner
        // works behind a gate short of the next run's kill (as in the test above; workers take calls in id order).
        long KillAt(int run) => calls * (run + 1) / 10 + new Random(run).Next(0, 7);
        var killed = await KillRepeatedlyThenFinishAsync(workspace, args, kills: 4, seed: 13,
            () => workspace.Database.CountAsync("SELECT count(*) FROM engagements"), done => done < calls, KillAt,
            gate: run => CommitGate.CloseAsync(workspace.Database, "acme", "manual", $"call-{KillAt(run) + 30:D3}.mp3"));
        Assert.True(killed == 4, $"only {killed} of 4 kills hit a working runner: {string.Join(" | ", Notes)}");
        using var last = await workspace.RunAsync(args, new Dictionary<string, string> { ["CALLIMPORT_DIAGNOSTICS"] = "1" });

        Assert.True(last.ExitCode == ExitCodes.Success, last.Stderr);
        var summary = RunnerWorkspace.Summary(last);
        Assert.Equal((calls, 0, 0), (summary.Total, summary.Failed, summary.Pending));
        Assert.Equal(calls, await workspace.Database.CountAsync("SELECT count(*) FROM engagements"));
        Assert.Equal(calls, await workspace.Database.CountAsync("SELECT count(DISTINCT source_call_id) FROM engagements"));
        Assert.Equal(calls, await workspace.Database.CountAsync("SELECT count(*) FROM transcription_requests"));
        Assert.Equal(calls, await workspace.Database.CountAsync("SELECT count(*) FROM import_calls WHERE state = 'done' AND outcome = 'imported'"));
        var stored = Directory.GetFiles(workspace.MediaDirectory, "*", SearchOption.AllDirectories);
        Assert.DoesNotContain(stored, f => f.EndsWith(".partial", StringComparison.Ordinal));
        Assert.Equal(calls, stored.Length);
        // The last run (more than half of the calls, less what the killed runs overshot) committed them several at a time.
        var diagnostics = summary.Diagnostics ?? throw new InvalidOperationException("no diagnostics in the summary");
        Assert.True(diagnostics.CallCommits < summary.Processed, $"{diagnostics.CallCommits} commits for {summary.Processed} calls");
    }
}
