using System.Text.Json.Serialization;

namespace CallImport.ImportRunner.Platforms;

/// <summary>
/// The credentials file's shape, generated at build time: reading it by reflection built System.Text.Json's
/// whole reflection layer (converters for every primitive, emitted accessors), 15 ms of a start's CPU.
/// Default options, as the file has always been read.
/// </summary>
[JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class CredentialsJson : JsonSerializerContext;
