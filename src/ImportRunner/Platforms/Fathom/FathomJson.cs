using System.Text.Json;
using System.Text.Json.Serialization;

namespace CallImport.ImportRunner.Platforms.Fathom;

/// <summary>
/// Fathom's answers and the inline transcript kept with a call, generated at build time: the runner is compiled
/// ahead of time (native AOT), where reflection-based serialisation is not available. Web defaults.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(FathomMeetingsPage))]
[JsonSerializable(typeof(FathomMeeting))]
[JsonSerializable(typeof(FathomTranscriptResponse))]
[JsonSerializable(typeof(IReadOnlyList<FathomTranscriptItem>))]
[JsonSerializable(typeof(List<FathomTranscriptItem>))]
internal sealed partial class FathomJson : JsonSerializerContext;
