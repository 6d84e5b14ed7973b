using System.Text.Json;
using System.Text.Json.Nodes;

namespace CallImport.LocalControlPlane.Validation;

/// <summary>Typed reads of OpenAPI v3 schema keywords from a CRD's JSON.</summary>
internal static class SchemaKeywords
{
    public static string? Type(this JsonObject schema) => schema.String("type");

    public static string? String(this JsonObject schema, string keyword) =>
        schema[keyword] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    public static bool Flag(this JsonObject schema, string keyword) =>
        schema[keyword] is JsonValue v && v.GetValueKind() == JsonValueKind.True;

    public static double? Number(this JsonObject schema, string keyword) =>
        schema[keyword] is JsonValue v && v.GetValueKind() == JsonValueKind.Number ? v.GetValue<double>() : null;

    public static long? Count(this JsonObject schema, string keyword) =>
        schema.Number(keyword) is { } n ? (long)n : null;

    public static JsonObject? Properties(this JsonObject schema) => schema["properties"] as JsonObject;

    public static JsonObject? Items(this JsonObject schema) => schema["items"] as JsonObject;

    /// <summary>The additionalProperties schema (a string map's value schema), if any.</summary>
    public static JsonObject? AdditionalProperties(this JsonObject schema) => schema["additionalProperties"] as JsonObject;

    public static bool PreservesUnknownFields(this JsonObject schema) =>
        schema.Flag("x-kubernetes-preserve-unknown-fields") || schema["additionalProperties"] is JsonValue ap && ap.GetValueKind() == JsonValueKind.True;

    public static bool IsIntOrString(this JsonObject schema) => schema.Flag("x-kubernetes-int-or-string");

    public static bool IsEmbeddedResource(this JsonObject schema) => schema.Flag("x-kubernetes-embedded-resource");

    /// <summary>The schema of a child property of an object, whether named or a map value.</summary>
    public static JsonObject? ChildSchema(this JsonObject schema, string name) =>
        schema.Properties()?[name] as JsonObject ?? schema.AdditionalProperties();
}
