using System.Text.Json;
using System.Text.Json.Serialization;

namespace CallImport.ImportRunner.Platforms.Gong;

/// <summary>
/// Gong's requests and answers and the listing payload, generated at build time: the runner is compiled ahead of
/// time (native AOT), where reflection-based serialisation is not available. Web defaults, nulls not written.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(GongCallsRequest))]
[JsonSerializable(typeof(GongCallsResponse))]
[JsonSerializable(typeof(GongExtensiveResponse))]
[JsonSerializable(typeof(GongExtensiveCall))]
[JsonSerializable(typeof(GongTranscriptResponse))]
[JsonSerializable(typeof(GongCallTranscript))]
[JsonSerializable(typeof(GongErrorBody))]
[JsonSerializable(typeof(GongListingPayload))]
internal sealed partial class GongJson : JsonSerializerContext;
