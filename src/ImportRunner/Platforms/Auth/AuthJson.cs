using System.Text.Json;
using System.Text.Json.Serialization;

namespace CallImport.ImportRunner.Platforms.Auth;

/// <summary>
/// The OAuth 2.0 error answer (RFC 6749 §5.2), generated at build time: the runner is compiled ahead of time
/// (native AOT), where reflection-based serialisation is not available. Web defaults.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(OAuthTokenResponse.OAuthError))]
internal sealed partial class AuthJson : JsonSerializerContext;
