using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace CallImport.ImportJobs;

/// <summary>The one place that says how ImportJob types look on the wire: camelCase, nulls omitted, RFC 3339 UTC times.</summary>
public static class ImportJobJson
{
    /// <summary>The wire options; their resolver is generated at build time (<see cref="ImportJobWireJson"/>), no reflection.</summary>
    public static JsonSerializerOptions Options => ImportJobWireJson.Default.Options;

    /// <summary>Serialises an ImportJob type (one that <see cref="ImportJobWireJson"/> lists).</summary>
    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, TypeInfo<T>());

    public static T? Deserialize<T>(string json) => JsonSerializer.Deserialize(json, TypeInfo<T>());

    private static JsonTypeInfo<T> TypeInfo<T>() =>
        ImportJobWireJson.Default.GetTypeInfo(typeof(T)) as JsonTypeInfo<T>
        ?? throw new NotSupportedException($"{typeof(T).Name} is not an ImportJob wire type; add it to {nameof(ImportJobWireJson)}.");
}

/// <summary>
/// The ImportJob types' contract, generated at build time: the ImportRunner is compiled ahead of time, where
/// reflection-based serialisation is not available. The API server adds fields this version does not know
/// (managedFields and the like): skipped.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip,
    Converters = [typeof(Rfc3339Converter)])]
[JsonSerializable(typeof(ImportJob))]
[JsonSerializable(typeof(ImportJobSpec))]
[JsonSerializable(typeof(ImportJobStatus))]
public sealed partial class ImportJobWireJson : JsonSerializerContext;

/// <summary>Writes times as Kubernetes does (UTC, <c>Z</c>, fractions only when present); reads any RFC 3339 offset.</summary>
internal sealed class Rfc3339Converter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        DateTimeOffset.TryParse(reader.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value)
            ? value
            : throw new JsonException("Expected an RFC 3339 time.");

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture));
}
