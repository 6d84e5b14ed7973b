using System.Text.Json;
using System.Text.Json.Serialization;
using CallImport.ImportRunner.Platforms.Auth;

namespace CallImport.ImportRunner.Platforms.RingCentral;

/// <summary>
/// RingCentral's payloads and the listing payload, generated at build time: the runner is compiled ahead of time
/// (native AOT), where reflection-based serialisation is not available. Web defaults, nulls not written.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(RingCentralCallLogPage))]
[JsonSerializable(typeof(RingCentralRecord))]
[JsonSerializable(typeof(List<JsonElement>))]
[JsonSerializable(typeof(OAuthTokenResponse))]
internal sealed partial class RingCentralJson : JsonSerializerContext;
