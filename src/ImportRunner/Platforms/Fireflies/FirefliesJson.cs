using System.Text.Json;
using System.Text.Json.Serialization;

namespace CallImport.ImportRunner.Platforms.Fireflies;

/// <summary>
/// Fireflies' GraphQL requests and answers and the sentences kept with a call, generated at build time: the runner
/// is compiled ahead of time (native AOT), where reflection-based serialisation is not available. Web defaults,
/// nulls not written. The variables' values are written by their runtime type: every type a variable can hold
/// (<see cref="FirefliesListFilter.Variables"/>) is listed.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(GraphQLRequest))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(int))]
[JsonSerializable(typeof(bool))]
[JsonSerializable(typeof(List<string>))]
[JsonSerializable(typeof(GraphQLResponse<FirefliesUserData>))]
[JsonSerializable(typeof(GraphQLResponse<FirefliesTranscriptsData>))]
[JsonSerializable(typeof(GraphQLResponse<FirefliesTranscriptData>))]
[JsonSerializable(typeof(GraphQLError))]
[JsonSerializable(typeof(IReadOnlyList<FirefliesSentence>))]
[JsonSerializable(typeof(List<FirefliesSentence>))]
internal sealed partial class FirefliesJson : JsonSerializerContext;
