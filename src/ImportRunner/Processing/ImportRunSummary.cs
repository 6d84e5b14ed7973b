using System.Text.Json.Serialization;

namespace CallImport.ImportRunner.Processing;

/// <summary>
/// How a run ended, printed as the last stdout line with <c>--output json</c>.
/// total = processed + failed + skipped + pending; skipped = imported before this run (or by another batch).
/// </summary>
public sealed record ImportRunSummary(
    [property: JsonPropertyName("total")] int Total,
    [property: JsonPropertyName("processed")] int Processed,
    [property: JsonPropertyName("failed")] int Failed,
    [property: JsonPropertyName("skipped")] int Skipped,
    [property: JsonPropertyName("durationSeconds")] double DurationSeconds)
{
    [JsonPropertyName("pending")] public int Pending { get; init; }
    [JsonPropertyName("stopReason")] public string? StopReason { get; init; }
    [JsonPropertyName("diagnostics"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public RunDiagnostics? Diagnostics { get; init; }
}
