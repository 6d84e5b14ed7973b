using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using CallImport.ImportRunner.Processing;

namespace CallImport.ImportRunner.Cli;

/// <summary>
/// What a run cost, measured by the runner itself, added to the JSON summary when CALLIMPORT_DIAGNOSTICS=1
/// (`make bench` sets it): CPU, peak memory, exceptions thrown (none on the normal path), SQL statements,
/// per-call time percentiles. A separate process reports its own peak, so no earlier measurement leaks in.
/// </summary>
public static class RunnerDiagnostics
{
    public const string Variable = "CALLIMPORT_DIAGNOSTICS";
    private static long _exceptions;
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> ExceptionTypes = new();

    public static bool Enabled { get; } = Environment.GetEnvironmentVariable(Variable) is "1" or "true";

    /// <summary>Called first thing in Main, so exceptions thrown while starting count too.</summary>
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification =
        "TargetSite only names where an exception was thrown in the diagnostics; where native AOT kept no metadata for that method it is null, which the name already allows for.")]
    public static void Start()
    {
        if (!Enabled) return;
        AppDomain.CurrentDomain.FirstChanceException += (_, e) =>
        {
            Interlocked.Increment(ref _exceptions);
            ExceptionTypes.AddOrUpdate($"{e.Exception.GetType().Name} at {e.Exception.TargetSite?.DeclaringType?.Name}.{e.Exception.TargetSite?.Name}", 1, (_, n) => n + 1);
        };
    }

    public static RunDiagnostics? Collect(ImportCounters counters, long sqlStatements, long requests, long callCommits)
    {
        if (!Enabled) return null;
        // Read before loading what reports it (System.Diagnostics.Process): the run's CPU, not the measurement's.
        var cpu = Environment.CpuUsage.TotalTime;
        using var self = Process.GetCurrentProcess();
        return new RunDiagnostics
        {
            CpuSeconds = cpu.TotalSeconds,
            PeakRssMiB = PeakRssKiB() / 1024.0,
            AllocatedMiB = GC.GetTotalAllocatedBytes() / 1024.0 / 1024.0,
            Collections = GC.CollectionCount(0),
            ExceptionsThrown = Interlocked.Read(ref _exceptions),
            ExceptionTypes = ExceptionTypes.Select(e => $"{e.Key} ×{e.Value}").Order(StringComparer.Ordinal).ToArray(),
            SqlStatements = sqlStatements,
            HttpRequests = requests,
            CallCommits = callCommits,
            SecondsSinceProcessStart = (DateTime.Now - self.StartTime).TotalSeconds,
            CallP50Ms = counters.CallTimes.PercentileMs(50),
            CallP95Ms = counters.CallTimes.PercentileMs(95),
            CallP99Ms = counters.CallTimes.PercentileMs(99),
        };
    }

    /// <summary>VmHWM: the process's peak resident set.</summary>
    private static long PeakRssKiB()
    {
        try
        {
            var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (IOException) { return 0; }
    }
}
