using System.Text.Json;
using System.Text.Json.Serialization;

namespace CallImport.ImportRunner.Platforms.Dialpad;

/// <summary>
/// Dialpad's answers, generated at build time: the runner is compiled ahead of time (native AOT), where
/// reflection-based serialisation is not available. Web defaults; numbers also read from strings and strings
/// from numbers (Dialpad sends ids and times as either).
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, NumberHandling = JsonNumberHandling.AllowReadingFromString,
    Converters = [typeof(DialpadApi.FlexibleStringConverter)])]
[JsonSerializable(typeof(DialpadCallsPage))]
[JsonSerializable(typeof(DialpadCall))]
[JsonSerializable(typeof(DialpadTranscript))]
internal sealed partial class DialpadJson : JsonSerializerContext;
