using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace CallImport.Benchmarks.Framework;

/// <summary>
/// Watches the bench process for stalls while timing-sensitive parts run. A limiter's waiter woken more than its
/// slack (10 ms at 1-s windows) after its slot loses that slot, so a late window can be the limiter or the process
/// that ran it: this tells which, and which kind of stall. Two clocks: a dedicated thread (not the pool) sleeping
/// <see cref="Period"/> in a loop — its oversleep is the OS not running the process (CPU taken by others) or the
/// runtime stopping every thread (GC); and a <see cref="Task.Delay(TimeSpan)"/> loop on the thread pool, woken as a
/// limiter's waiters are — late there but not on the thread means the pool (its queue, too few threads).
/// Each stall keeps the GC pause time and the thread's wait for a CPU (/proc/thread-self/schedstat) during it.
/// </summary>
public sealed class ProcessStallProbe : IDisposable
{
    public static readonly TimeSpan Period = TimeSpan.FromMilliseconds(5);

    /// <summary>Stalls from this long are kept one by one (the limiter's shortest slack is 10 ms).</summary>
    public static readonly TimeSpan Kept = TimeSpan.FromMilliseconds(5);

    /// <param name="Clock">"thread" (the dedicated thread) or "pool" (the Task.Delay loop).</param>
    /// <param name="Late">How much later than <see cref="Period"/> it woke.</param>
    /// <param name="GcPause">GC pause time during that wait.</param>
    /// <param name="CpuWait">Thread clock only: time it was runnable but waiting for a CPU (null: not known).</param>
    /// <param name="OwnCpu">Thread clock only: CPU time this whole process used during it (both cores busy with it = 2 × Late).</param>
    public sealed record Stall(DateTimeOffset At, string Clock, TimeSpan Late, TimeSpan GcPause, TimeSpan? CpuWait, TimeSpan? OwnCpu, int Threads, long Queued)
    {
        /// <summary>
        /// GC when the pause covers most of it; CPU when the thread waited for a CPU most of it (taken by this process's
        /// own threads when it used most of both cores then, else by other processes); else the pool's queue (pool clock) or other.
        /// </summary>
        public string Kind => GcPause >= Late / 2 ? "GC"
            : CpuWait is { } cpu && cpu >= Late / 2 ? (OwnCpu is { } own && own >= Late * Environment.ProcessorCount / 2 ? "CPU, own threads" : "CPU, other processes")
            : Clock == "pool" ? "pool queue" : "other";

        public string Describe(DateTimeOffset origin) => string.Create(CultureInfo.InvariantCulture, $"{Clock} {Late.TotalMilliseconds:0.0} ms late at +{(At - origin).TotalSeconds:0.00} s ({Kind}: GC {GcPause.TotalMilliseconds:0.0} ms")
            + (CpuWait is { } w ? string.Create(CultureInfo.InvariantCulture, $", waiting for a CPU {w.TotalMilliseconds:0.0} ms") : "")
            + (OwnCpu is { } o ? string.Create(CultureInfo.InvariantCulture, $", this process's CPU {o.TotalMilliseconds:0} ms") : "")
            + $"; pool threads {Threads}, queued {Queued})";
    }

    private readonly List<Stall> _stalls = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _thread;
    private readonly Task _pool;
    private readonly TimeSpan _gcBefore = GC.GetTotalPauseDuration();
    private readonly int[] _collectionsBefore = [GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)];
    private readonly long _started = Stopwatch.GetTimestamp();
    private readonly long _allocatedBefore = GC.GetTotalAllocatedBytes();
    private int _fewestThreads = ThreadPool.ThreadCount;
    private int _mostThreads = ThreadPool.ThreadCount;
    private long _mostQueued;
    private (TimeSpan Late, long Count) _threadWaits, _poolWaits;

    private ProcessStallProbe()
    {
        Origin = DateTimeOffset.UtcNow;
        _thread = new Thread(SleepLoop) { IsBackground = true, Name = "stall probe", Priority = ThreadPriority.Normal };
        _thread.Start();
        _pool = Task.Run(DelayLoopAsync);
    }

    public DateTimeOffset Origin { get; }

    public static ProcessStallProbe Start() => new();

    /// <summary>The stalls kept (≥ <see cref="Kept"/>) between two moments, largest first.</summary>
    public IReadOnlyList<Stall> Between(DateTimeOffset from, DateTimeOffset to)
    {
        lock (_stalls) return [.. _stalls.Where(s => s.At >= from && s.At - s.Late - Period <= to).OrderByDescending(s => s.Late)];
    }

    /// <summary>A closing line: the worst of each clock, how often each passed <paramref name="slack"/>, GC and pool figures.</summary>
    public string Summary(TimeSpan slack)
    {
        Stall[] all;
        lock (_stalls) all = [.. _stalls];
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"Process stalls over {Stopwatch.GetElapsedTime(_started).TotalSeconds:0} s (a dedicated thread sleeping {Period.TotalMilliseconds:0} ms, and a {Period.TotalMilliseconds:0}-ms Task.Delay loop on the thread pool as the limiter's waiters wait): ");
        foreach (var (clock, (_, count)) in new[] { ("thread", _threadWaits), ("pool", _poolWaits) })
        {
            var mine = all.Where(s => s.Clock == clock).ToList();
            var over = mine.Where(s => s.Late > slack).ToList();
            text.Append(CultureInfo.InvariantCulture, $"{clock}: {over.Count} of {count:N0} waits over {slack.TotalMilliseconds:0} ms late");
            if (over.Count > 0) text.Append(" (" + string.Join(", ", over.GroupBy(s => s.Kind).Select(g => $"{g.Key} {g.Count()}")) + ")");
            // A pool wait late while the dedicated thread was stalled too is the process not running, not the pool's queue.
            if (clock == "pool" && over.Count > 0)
                text.Append(CultureInfo.InvariantCulture, $", {over.Count(p => all.Any(t => t.Clock == "thread" && t.Late >= p.Late / 2 && t.At > p.At - p.Late - Period && t.At - t.Late - Period < p.At))} of them while the thread was stalled too");
            if (mine.MaxBy(s => s.Late) is { } worst) text.Append("; worst " + worst.Describe(Origin));
            text.Append("; ");
        }
        var collections = new[] { GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2) }.Zip(_collectionsBefore, (a, b) => a - b).ToArray();
        text.Append(CultureInfo.InvariantCulture, $"GC paused {(GC.GetTotalPauseDuration() - _gcBefore).TotalMilliseconds:0} ms in all (gen0/1/2 collections {collections[0]}/{collections[1]}/{collections[2]}, {(GC.GetTotalAllocatedBytes() - _allocatedBefore) / 1e6:0} MB allocated); ");
        text.Append(CultureInfo.InvariantCulture, $"pool threads {_fewestThreads}–{_mostThreads}, most queued {_mostQueued}.");
        return text.ToString();
    }

    private void SleepLoop()
    {
        using var schedstat = Open("/proc/thread-self/schedstat");
        using var stat = Open("/proc/self/stat");
        while (!_stop.IsCancellationRequested)
        {
            var (start, gc, cpu, own) = (Stopwatch.GetTimestamp(), GC.GetTotalPauseDuration(), CpuWait(schedstat), OwnCpu(stat));
            Thread.Sleep(Period);
            var late = Stopwatch.GetElapsedTime(start) - Period;
            var threads = ThreadPool.ThreadCount;
            var queued = ThreadPool.PendingWorkItemCount;
            _fewestThreads = Math.Min(_fewestThreads, threads);
            _mostThreads = Math.Max(_mostThreads, threads);
            _mostQueued = Math.Max(_mostQueued, queued);
            Note(ref _threadWaits, "thread", late, GC.GetTotalPauseDuration() - gc, CpuWait(schedstat) - cpu, OwnCpu(stat) - own, threads, queued);
        }
    }

    private async Task DelayLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var (start, gc) = (Stopwatch.GetTimestamp(), GC.GetTotalPauseDuration());
            try { await Task.Delay(Period, _stop.Token).ConfigureAwait(false); }
            catch (OperationCanceledException) { return; }
            Note(ref _poolWaits, "pool", Stopwatch.GetElapsedTime(start) - Period, GC.GetTotalPauseDuration() - gc, null, null, ThreadPool.ThreadCount, ThreadPool.PendingWorkItemCount);
        }
    }

    private void Note(ref (TimeSpan Late, long Count) clock, string name, TimeSpan late, TimeSpan gc, TimeSpan? cpu, TimeSpan? own, int threads, long queued)
    {
        clock = (clock.Late > late ? clock.Late : late, clock.Count + 1);
        if (late < Kept) return;
        lock (_stalls) if (_stalls.Count < 10_000) _stalls.Add(new Stall(DateTimeOffset.UtcNow, name, late, gc, cpu, own, threads, queued));
    }

    /// <summary>A /proc file kept open and read again from its start (Linux); null elsewhere.</summary>
    private static FileStream? Open(string path)
    {
        try { return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 0); }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }

    private static string? Read(FileStream? file)
    {
        if (file is null) return null;
        Span<byte> buffer = stackalloc byte[512];
        file.Position = 0;
        return Encoding.ASCII.GetString(buffer[..file.Read(buffer)]);
    }

    /// <summary>This thread's time waiting for a CPU: schedstat's second field (ns on a CPU, ns waiting for one, slices).</summary>
    private static TimeSpan? CpuWait(FileStream? schedstat) =>
        Read(schedstat)?.Split(' ') is { Length: >= 2 } f && long.TryParse(f[1], NumberStyles.None, CultureInfo.InvariantCulture, out var ns) ? TimeSpan.FromTicks(ns / 100) : null;

    /// <summary>This process's CPU time, user + system (stat fields 14 and 15, in clock ticks of 10 ms).</summary>
    private static TimeSpan? OwnCpu(FileStream? stat)
    {
        if (Read(stat) is not { } text || text.LastIndexOf(')') is var close && close < 0) return null;
        var f = text[(close + 2)..].Split(' ');
        return f.Length > 12 && long.TryParse(f[11], CultureInfo.InvariantCulture, out var user) && long.TryParse(f[12], CultureInfo.InvariantCulture, out var system)
            ? TimeSpan.FromMilliseconds((user + system) * 10) : null;
    }

    public void Dispose()
    {
        _stop.Cancel();
        _thread.Join();
        try { _pool.Wait(); } catch (AggregateException) { }
        _stop.Dispose();
    }
}
