using System.Text.Json;
using System.Text.Json.Serialization;

namespace CallImport.ImportRunner.Platforms.Grain;

/// <summary>
/// Grain's requests and answers, generated at build time: the runner is compiled ahead of time (native AOT),
/// where reflection-based serialisation is not available. Web defaults, nulls not written.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(GrainListRequest))]
[JsonSerializable(typeof(GrainDetailRequest))]
[JsonSerializable(typeof(GrainListResponse))]
[JsonSerializable(typeof(GrainRecording))]
[JsonSerializable(typeof(List<GrainTranscriptSection>))]
internal sealed partial class GrainJson : JsonSerializerContext;
