using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;

namespace CallImport.Benchmarks.Framework;

/// <summary>
/// The pipeline's baseline: the same work without the product (read each file, SHA-256 it, write it, N at a time),
/// run as a process of its own like the runner, so both sides pay a process start and a cold JIT, and neither
/// shares the bench's warm process. The child times its copy alone too, to set beside the runner's own timing.
/// </summary>
public static class CopyBaseline
{
    public const string Verb = "copy-baseline";

    public sealed record Result(double ExecSeconds, double CopySeconds, double ProcessCpuSeconds);

    /// <summary>Runs the baseline as a child process: this program with <see cref="Verb"/>.</summary>
    public static async Task<Result> RunAsync(string source, string target, int concurrency)
    {
        var self = Environment.ProcessPath ?? "dotnet";
        List<string> args = Path.GetFileNameWithoutExtension(self) == "dotnet" ? [typeof(CopyBaseline).Assembly.Location] : [];
        args.AddRange([Verb, source, target, concurrency.ToString(CultureInfo.InvariantCulture)]);
        var started = Stopwatch.GetTimestamp();
        var run = await ProcessRun.RunAsync(self, args, TimeSpan.FromMinutes(5));
        var exec = Stopwatch.GetElapsedTime(started);
        if (run.ExitCode != 0) throw new InvalidOperationException($"the baseline copy failed ({run.ExitCode}): {run.Stderr}");
        var report = JsonDocument.Parse(run.Stdout.Trim().Split('\n')[^1]).RootElement;
        return new Result(exec.TotalSeconds, report.GetProperty("copySeconds").GetDouble(), report.GetProperty("processCpuSeconds").GetDouble());
    }

    /// <summary>The child's side: copies, then prints its timings as one JSON line.</summary>
    public static async Task<int> MainAsync(string[] args)
    {
        var (source, target, concurrency) = (args[1], args[2], int.Parse(args[3], CultureInfo.InvariantCulture));
        // Listing the folder is part of the work, as the runner's own timing includes its listing.
        var started = Stopwatch.GetTimestamp();
        var files = Directory.GetFiles(source);
        await Parallel.ForEachAsync(files, new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (file, ct) =>
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
        var copy = Stopwatch.GetElapsedTime(started);
        using var process = Process.GetCurrentProcess();
        Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, double>
        {
            ["copySeconds"] = copy.TotalSeconds,
            ["processCpuSeconds"] = process.TotalProcessorTime.TotalSeconds,
        }));
        return 0;
    }
}
