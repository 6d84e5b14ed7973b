using System.Diagnostics;
using System.Security.Cryptography;
using CallImport.Benchmarks.Framework;

namespace CallImport.Benchmarks.Sections;

/// <summary>
/// Target 1: the runner (a separate process, manual upload → file storage → PostgreSQL) against the same work
/// without the product — read + SHA-256 + write, same concurrency, same filesystem — in the same run.
/// </summary>
public sealed class PipelineSection : IBenchSection
{
    public string Id => "pipeline";
    public string Title => "Pipeline throughput (target 1)";

    private sealed record Case(int Calls, int Bytes, int Concurrency, double RatioTarget);

    public async Task<BenchSectionResult> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var result = new BenchSectionResult(Id, Title);
        var small = context.Options.Quick ? 400 : 2000;
        var large = context.Options.Quick ? 40 : 200;
        Case[] cases = [new(small, 256 * 1024, 4, 0.8), new(small, 256 * 1024, 8, 0.8), new(large, 5 * 1024 * 1024, 4, 0.9)];
        result.Notes.Add($"Files on {context.FileSystem}; runner {context.Runner.Description}; PostgreSQL fsync off. " +
                         "CPU per call is the steadier figure on a shared machine: wall-clock rates move with the load of other processes.");

        foreach (var group in cases.GroupBy(c => (c.Calls, c.Bytes)))
        {
            var folder = await MediaFiles.CreateFolderAsync(context.WorkDirectory, group.Key.Calls, group.Key.Bytes);
            foreach (var c in group)
            {
                var label = $"{c.Calls} × {Size(c.Bytes)}, concurrency {c.Concurrency}";
                var baseline = new List<double>();
                var baselineCpu = new List<double>();
                var runner = new List<double>();
                var runnerCpu = new List<double>();
                var postgresCpu = new List<double>();
                var statements = new List<double>();
                var callsPerCommit = new List<double>();
                for (var r = 0; r < context.Options.Repeat; r++)
                {
                    var (elapsed, cpu) = await CopyWithHashAsync(folder, context.NewDirectory("copies"), c.Concurrency, cancellationToken);
                    baseline.Add(c.Calls / elapsed.TotalSeconds);
                    baselineCpu.Add(cpu.TotalMilliseconds / c.Calls);
                    var database = await context.CreateDatabaseAsync("pipeline");
                    var storage = context.NewDirectory("media");
                    var statementsBefore = await BenchContext.StatementsAsync(database);
                    var cpuBefore = await context.PostgresCpuSecondsAsync();
                    var run = (await context.Runner.RunAsync(MediaFiles.ManualImport(MediaFiles.ManualCredentials(context.WorkDirectory, folder), database, storage, "bench", c.Concurrency)))
                        .Expect(c.Calls);
                    await Task.Delay(300, cancellationToken); // the runner's backends end and are reaped: their CPU is counted
                    postgresCpu.Add((await context.PostgresCpuSecondsAsync() - cpuBefore) * 1000 / c.Calls);
                    statements.Add((await BenchContext.StatementsAsync(database) - statementsBefore) / (double)c.Calls);
                    runner.Add(c.Calls / run.Wall.TotalSeconds);
                    runnerCpu.Add(run.Diagnostic("cpuSeconds") * 1000 / c.Calls);
                    callsPerCommit.Add(c.Calls / run.Diagnostic("callCommits"));
                    Directory.Delete(storage, recursive: true);
                }
                var b = Samples.Median(baseline);
                var v = Samples.Median(runner);
                result.Figures.Add(new BenchFigure($"baseline read+SHA-256+write, {label}", b, "files/s") { Note = Samples.Spread(baseline) });
                result.Figures.Add(new BenchFigure($"runner, {label}", v, "calls/s") { Note = Samples.Spread(runner) }
                    .Against(b, "baseline").AtLeast(c.RatioTarget * b, $"≥ {c.RatioTarget}× baseline"));
                if (c.Bytes == 256 * 1024)
                    result.Figures.Add(new BenchFigure($"runner calls/s at 256 KiB, concurrency {c.Concurrency}", v, "calls/s").AtLeast(500));
                if (c.Bytes == 256 * 1024 && c.Concurrency == 8)
                    await ProfileAsync(context, result, folder, c);
                result.Figures.Add(new BenchFigure($"  runner CPU per call, {label}", Samples.Median(runnerCpu), "ms")
                    .Against(Samples.Median(baselineCpu), "baseline CPU per file"));
                result.Figures.Add(new BenchFigure($"  PostgreSQL CPU per call, {label}", Samples.Median(postgresCpu), "ms"));
                result.Figures.Add(new BenchFigure($"  SQL statements per call, {label}", Samples.Median(statements), ""));
                result.Figures.Add(new BenchFigure($"  calls per transaction (group commit), {label}", Samples.Median(callsPerCommit), ""));
            }
            Directory.Delete(folder, recursive: true);
        }
        return result;
    }

    /// <summary>One more run of the case, profiled: where the runner's CPU goes, and PostgreSQL's top statements.</summary>
    private static async Task ProfileAsync(BenchContext context, BenchSectionResult result, string folder, Case c)
    {
        var database = await context.CreateDatabaseAsync("profile");
        var storage = context.NewDirectory("profile-media");
        var args = MediaFiles.ManualImport(MediaFiles.ManualCredentials(context.WorkDirectory, folder), database, storage, "profile", c.Concurrency);
        var byBinary = await Profiler.RunnerCpuByBinaryAsync(context, args);
        if (byBinary is null) await context.Runner.RunAsync(args);
        result.Notes.Add($"Profile of the runner, {c.Calls} × 256 KiB at concurrency {c.Concurrency} (perf, CPU samples by binary): {byBinary ?? "perf not installed"}.");
        result.Notes.Add($"PostgreSQL's statements by total time in that run (pg_stat_statements): {await Profiler.TopStatementsAsync(database)}.");
        Directory.Delete(storage, recursive: true);
    }

    /// <summary>The same work as the pipeline without the product: read each file, hash it, write it, N at a time.</summary>
    private static async Task<(TimeSpan Elapsed, TimeSpan Cpu)> CopyWithHashAsync(string source, string target, int concurrency, CancellationToken cancellationToken)
    {
        var files = Directory.GetFiles(source);
        using var self = Process.GetCurrentProcess();
        var cpuBefore = self.TotalProcessorTime;
        var started = Stopwatch.GetTimestamp();
        await Parallel.ForEachAsync(files, new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancellationToken }, async (file, ct) =>
        {
            var buffer = new byte[81920];
            using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            await using var input = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, buffer.Length, useAsync: true);
            await using var output = new FileStream(Path.Combine(target, Path.GetFileName(file)), FileMode.CreateNew, FileAccess.Write, FileShare.None, buffer.Length, useAsync: true);
            int read;
            while ((read = await input.ReadAsync(buffer, ct)) > 0)
            {
                sha.AppendData(buffer, 0, read);
                await output.WriteAsync(buffer.AsMemory(0, read), ct);
            }
            GC.KeepAlive(sha.GetHashAndReset());
        });
        var elapsed = Stopwatch.GetElapsedTime(started);
        self.Refresh();
        var cpu = self.TotalProcessorTime - cpuBefore;
        Directory.Delete(target, recursive: true);
        return (elapsed, cpu);
    }

    private static string Size(int bytes) => bytes >= 1024 * 1024 ? $"{bytes / 1024 / 1024} MiB" : $"{bytes / 1024} KiB";
}
