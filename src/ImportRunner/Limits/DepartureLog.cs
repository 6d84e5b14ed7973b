using System.Globalization;

namespace CallImport.ImportRunner.Limits;

/// <summary>
/// With CALLIMPORT_DEPARTURE_LOG=&lt;directory&gt;, one line per request that left, in departures-&lt;process id&gt;.log
/// there: when it was written to its connection, its slot and deadline (ticks since 0001, UTC, on this process's
/// clock), the process, method and path (never the query or headers: they may carry credentials). The requests of
/// all the runners on one credential can then be checked against the vendor's windows where they really left.
/// </summary>
public static class DepartureLog
{
    public const string Variable = "CALLIMPORT_DEPARTURE_LOG";
    private static readonly Lock Gate = new();
    private static readonly StreamWriter? Writer = Open();

    private static StreamWriter? Open()
    {
        if (Environment.GetEnvironmentVariable(Variable) is not { Length: > 0 } directory) return null;
        var stream = new FileStream(Path.Combine(directory, $"departures-{Environment.ProcessId}.log"), FileMode.Append, FileAccess.Write, FileShare.Read);
        return new StreamWriter(stream) { AutoFlush = true };
    }

    internal static void Departed(DateTimeOffset at, RequestSlot slot, HttpRequestMessage request)
    {
        if (Writer is null) return;
        var line = string.Create(CultureInfo.InvariantCulture,
            $"{at.UtcTicks} {slot.At.UtcTicks} {slot.Deadline.UtcTicks} {Environment.ProcessId} {request.Method} {request.RequestUri?.AbsolutePath}");
        lock (Gate) Writer.WriteLine(line);
    }

    /// <summary>Every departure logged in <paramref name="directory"/>, by every process.</summary>
    public static IReadOnlyList<Entry> Read(string directory) =>
        [.. Directory.EnumerateFiles(directory, "departures-*.log").SelectMany(File.ReadLines).Where(l => l.Length > 0).Select(Entry.Parse)];

    /// <summary>One line of the log, read back.</summary>
    public sealed record Entry(DateTimeOffset DepartedAt, DateTimeOffset SlotAt, DateTimeOffset Deadline, int Process, string Method, string Path)
    {
        public static Entry Parse(string line)
        {
            var parts = line.Split(' ');
            DateTimeOffset At(int i) => new(long.Parse(parts[i], CultureInfo.InvariantCulture), TimeSpan.Zero);
            return new Entry(At(0), At(1), At(2), int.Parse(parts[3], CultureInfo.InvariantCulture), parts[4], parts[5]);
        }
    }
}
