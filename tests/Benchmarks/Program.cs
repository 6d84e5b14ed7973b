using System.Diagnostics;
using CallImport.Benchmarks;

// Numbers, not verdicts: each measurement is printed beside a baseline taken in the same run on the same
// machine, because absolute times on a shared 2-core machine mean little.
var calls = args.Length > 0 && int.TryParse(args[0], out var n) ? n : 300;
Console.WriteLine($"CallImport benchmarks — {Environment.ProcessorCount} cores, .NET {Environment.Version}, {DateTime.UtcNow:u}");
Console.WriteLine();
var only = Environment.GetEnvironmentVariable("BENCH_ONLY");
if (only is null or "pipeline")
{
    await PipelineThroughput.RunAsync(calls);
    Console.WriteLine();
    await MediaMemory.RunAsync(sizeMiB: 256);
    Console.WriteLine();
}
// The operator's part (its own file): BENCH_OPERATOR=0 skips it.
if (only is null or "operator" && Environment.GetEnvironmentVariable("BENCH_OPERATOR") != "0")
    await OperatorAtScale.RunAsync(sizes: [50, 200, 1000], cap: 50, latencyN: 1000, idle: TimeSpan.FromSeconds(30));
return 0;

namespace CallImport.Benchmarks
{
    internal static class Measure
    {
        public static async Task<(TimeSpan Elapsed, long Allocated, long PeakWorkingSet)> RunAsync(Func<Task> work)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            using var process = Process.GetCurrentProcess();
            var peak = process.WorkingSet64;
            using var sampling = new CancellationTokenSource();
            var sampler = Task.Run(async () =>
            {
                while (!sampling.IsCancellationRequested)
                {
                    process.Refresh();
                    peak = Math.Max(peak, process.WorkingSet64);
                    try { await Task.Delay(10, sampling.Token); } catch (OperationCanceledException) { }
                }
            });
            var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
            var started = Stopwatch.GetTimestamp();
            await work();
            var elapsed = Stopwatch.GetElapsedTime(started);
            var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
            await sampling.CancelAsync();
            await sampler;
            return (elapsed, allocated, peak);
        }

        public static string MiB(long bytes) => $"{bytes / 1024.0 / 1024.0,8:0.0} MiB";
    }
}
