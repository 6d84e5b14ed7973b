using System.Text.Json;
using System.Text.Json.Serialization;
using CallImport.ImportRunner.Platforms.Auth;

namespace CallImport.ImportRunner.Platforms.HubSpot;

/// <summary>
/// HubSpot's requests and answers and the listing payload, generated at build time: the runner is compiled ahead
/// of time (native AOT), where reflection-based serialisation is not available. Web defaults, nulls not written,
/// numbers also read from strings (HubSpot sends either).
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(HubSpotSearchRequest))]
[JsonSerializable(typeof(HubSpotBatchReadRequest))]
[JsonSerializable(typeof(HubSpotSearchResponse))]
[JsonSerializable(typeof(HubSpotBatchResponse))]
[JsonSerializable(typeof(HubSpotAssociationsResponse))]
[JsonSerializable(typeof(HubSpotObject))]
[JsonSerializable(typeof(HubSpotOwnersPage))]
[JsonSerializable(typeof(HubSpotOwner))]
[JsonSerializable(typeof(HubSpotTranscript))]
[JsonSerializable(typeof(HubSpotError))]
[JsonSerializable(typeof(HubSpotListingPayload))]
[JsonSerializable(typeof(OAuthTokenResponse))]
internal sealed partial class HubSpotJson : JsonSerializerContext;
