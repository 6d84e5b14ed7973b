using System.Text.Json.Serialization;

namespace CallImport.ImportRunner.Processing;

/// <summary>What a run cost, as the runner measured it (in the JSON summary with CALLIMPORT_DIAGNOSTICS=1).</summary>
public sealed record RunDiagnostics
{
    [JsonPropertyName("cpuSeconds")] public double CpuSeconds { get; init; }
    [JsonPropertyName("peakRssMiB")] public double PeakRssMiB { get; init; }
    /// <summary>Managed bytes allocated over the run and the garbage collections they caused (every generation counts in gen0's).</summary>
    [JsonPropertyName("allocatedMiB")] public double AllocatedMiB { get; init; }
    [JsonPropertyName("collections")] public int Collections { get; init; }
    [JsonPropertyName("exceptionsThrown")] public long ExceptionsThrown { get; init; }
    /// <summary>Which exceptions, where thrown: the normal path should throw none.</summary>
    [JsonPropertyName("exceptionTypes")] public IReadOnlyList<string> ExceptionTypes { get; init; } = [];
    [JsonPropertyName("sqlStatements")] public long SqlStatements { get; init; }
    /// <summary>Transactions (round trips) that completed calls: fewer than the calls when the group commit took several at once.</summary>
    [JsonPropertyName("callCommits")] public long CallCommits { get; init; }
    [JsonPropertyName("httpRequests")] public long HttpRequests { get; init; }
    [JsonPropertyName("secondsSinceProcessStart")] public double SecondsSinceProcessStart { get; init; }
    [JsonPropertyName("callP50Ms")] public double CallP50Ms { get; init; }
    [JsonPropertyName("callP95Ms")] public double CallP95Ms { get; init; }
    [JsonPropertyName("callP99Ms")] public double CallP99Ms { get; init; }
}
