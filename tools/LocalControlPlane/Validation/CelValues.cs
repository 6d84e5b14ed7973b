using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CallImport.LocalControlPlane.Validation;

/// <summary>
/// Converts a JSON node into the values the Cel package evaluates: objects as string-keyed dictionaries,
/// arrays as lists, integers as long, numbers as double (by schema type, so <c>self.ratio > 1.5</c> works on 2).
/// </summary>
internal static class CelValues
{
    public static object? From(JsonNode? node, JsonObject? schema) => node switch
    {
        null => null,
        JsonObject obj => obj.ToDictionary(p => p.Key, p => From(p.Value, schema?.ChildSchema(p.Key))),
        JsonArray array => array.Select(item => From(item, schema?.Items())).ToList(),
        JsonValue value => FromScalar(value, schema),
        _ => null,
    };

    private static object? FromScalar(JsonValue value, JsonObject? schema) => value.GetValueKind() switch
    {
        JsonValueKind.String => value.GetValue<string>(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Number when schema?.Type() != "number" && JsonKinds.IsInteger(value) => long.Parse(value.ToJsonString(), CultureInfo.InvariantCulture),
        JsonValueKind.Number => JsonKinds.ToDouble(value),
        _ => null,
    };
}
