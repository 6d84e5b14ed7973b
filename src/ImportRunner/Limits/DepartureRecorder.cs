namespace CallImport.ImportRunner.Limits;

/// <summary>
/// The departures of one connection's requests kept in memory, as <see cref="DepartureLog"/> writes them to a file,
/// but for that connection only (PlatformConnectionOptions.Departures): a process that hosts the fake vendor too (the
/// bench) can judge its windows where the requests really left, not only where its own fake stamped them.
/// </summary>
public sealed class DepartureRecorder
{
    private readonly Lock _gate = new();
    private readonly List<DepartureLog.Entry> _entries = [];

    internal void Departed(DateTimeOffset at, RequestSlot slot, HttpRequestMessage request)
    {
        var entry = new DepartureLog.Entry(at, slot.At, slot.Deadline, Environment.ProcessId, request.Method.Method, request.RequestUri?.AbsolutePath ?? "?");
        lock (_gate) _entries.Add(entry);
    }

    /// <summary>Every departure recorded so far, in the order they were recorded.</summary>
    public IReadOnlyList<DepartureLog.Entry> Entries { get { lock (_gate) return [.. _entries]; } }
}
