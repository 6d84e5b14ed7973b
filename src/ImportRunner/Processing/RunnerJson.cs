using System.Text.Json;
using System.Text.Json.Serialization;

namespace CallImport.ImportRunner.Processing;

/// <summary>
/// The runner's own JSON (engagement participants and transcript, the run summary), generated at build time:
/// no reflection or emitted accessors to compile when a pod starts, which was a tenth of a start's JIT work.
/// Web defaults, as the engagement store's JSON has always been written.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(ImportRunSummary))]
[JsonSerializable(typeof(IReadOnlyList<NormalisedParticipant>))]
[JsonSerializable(typeof(TranscriptDocument))]
internal sealed partial class RunnerJson : JsonSerializerContext;
