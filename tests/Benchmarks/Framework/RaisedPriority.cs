using System.Globalization;
using System.Runtime.InteropServices;

namespace CallImport.Benchmarks.Framework;

/// <summary>
/// Every thread of this process at a higher scheduling priority (a lower nice value) until disposed, then back. For
/// timing-sensitive, light parts of the bench: on a 2-core machine shared with other people's builds, the whole process
/// otherwise waits tens of milliseconds for a CPU now and then (ProcessStallProbe: "CPU, other processes"), and a
/// limiter's waiter woken that late loses its slot — the figure then measures the neighbours, not the limiter. Linux
/// keeps a nice value per thread, so each thread is set; threads started meanwhile inherit their creator's. Needs root
/// (CAP_SYS_NICE): without it nothing changes and <see cref="Description"/> says so.
/// </summary>
public sealed partial class RaisedPriority : IDisposable
{
    private const int PrioProcess = 0;
    private readonly int _nice;
    private readonly bool _raised;

    private RaisedPriority(int nice)
    {
        _nice = nice;
        var (set, threads, error) = SetAll(nice);
        _raised = set > 0;
        Description = _raised
            ? string.Create(CultureInfo.InvariantCulture, $"run at nice {nice} ({set} of {threads} threads set; the rest ended meanwhile)")
            : $"not raised ({error ?? "no thread list"}): run at the ordinary priority";
    }

    /// <summary>What was done, for the section's notes.</summary>
    public string Description { get; }

    public static RaisedPriority Raise(int nice = -10) => new(nice);

    public void Dispose()
    {
        if (_raised) SetAll(0);
    }

    private static (int Set, int Threads, string? Error) SetAll(int nice)
    {
        if (!Directory.Exists("/proc/self/task")) return (0, 0, "not Linux");
        var threads = Directory.GetDirectories("/proc/self/task");
        var set = 0;
        string? error = null;
        foreach (var thread in threads)
        {
            if (!int.TryParse(Path.GetFileName(thread), NumberStyles.None, CultureInfo.InvariantCulture, out var tid)) continue;
            if (SetPriority(PrioProcess, tid, nice) == 0) set++;
            else error ??= $"setpriority: errno {Marshal.GetLastPInvokeError()}";
        }
        return (set, threads.Length, set > 0 ? null : error);
    }

    [LibraryImport("libc", EntryPoint = "setpriority", SetLastError = true)]
    private static partial int SetPriority(int which, int who, int priority);
}
