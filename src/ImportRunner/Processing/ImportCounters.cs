namespace CallImport.ImportRunner.Processing;

/// <summary>Live counts of one run, read by the progress display.</summary>
public sealed class ImportCounters
{
    private int _listed;
    private int _processed;
    private int _skipped;
    private int _failed;
    private int _retried;
    private int _inFlight;
    private long _processingTicks;
    private long _attempts;

    public int Listed => Volatile.Read(ref _listed);
    public int Processed => Volatile.Read(ref _processed);
    public int Skipped => Volatile.Read(ref _skipped);
    public int Failed => Volatile.Read(ref _failed);
    public int Retried => Volatile.Read(ref _retried);
    public int InFlight => Volatile.Read(ref _inFlight);

    public void AddListed(int count) => Interlocked.Add(ref _listed, count);
    public void CallProcessed() => Interlocked.Increment(ref _processed);
    public void CallSkipped() => Interlocked.Increment(ref _skipped);
    public void CallFailed() => Interlocked.Increment(ref _failed);
    public void CallRetried() => Interlocked.Increment(ref _retried);
    /// <summary>Time spent processing calls, and over how many attempts.</summary>
    public (TimeSpan Time, long Attempts) Processing => (TimeSpan.FromTicks(Interlocked.Read(ref _processingTicks)), Interlocked.Read(ref _attempts));

    /// <summary>Each attempt's processing time, for percentiles.</summary>
    public CallTimeHistogram CallTimes { get; } = new();

    public void AddProcessingTime(TimeSpan elapsed)
    {
        CallTimes.Record(elapsed);
        Interlocked.Add(ref _processingTicks, elapsed.Ticks);
        Interlocked.Increment(ref _attempts);
    }

    public void Started() => Interlocked.Increment(ref _inFlight);
    public void Finished() => Interlocked.Decrement(ref _inFlight);
}
