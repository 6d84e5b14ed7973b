using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CallImport.LocalControlPlane.Validation;

/// <summary>OpenAPI type names of JSON values, as kube-openapi reports them in type errors.</summary>
internal static class JsonKinds
{
    public static string TypeOf(JsonNode? node) => node switch
    {
        null => "null",
        JsonObject => "object",
        JsonArray => "array",
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.String => "string",
            JsonValueKind.Number => IsInteger(v) ? "integer" : "number",
            JsonValueKind.True or JsonValueKind.False => "boolean",
            _ => "null",
        },
        _ => "null",
    };

    // Values built in code may wrap an int or decimal rather than a JsonElement, so go through the JSON text.
    public static bool IsInteger(JsonValue value) => long.TryParse(value.ToJsonString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _);

    public static double ToDouble(JsonValue value) => double.Parse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture);

    public static bool Matches(string schemaType, JsonNode? node)
    {
        var actual = TypeOf(node);
        return schemaType switch
        {
            "number" => actual is "number" or "integer",
            _ => schemaType == actual,
        };
    }
}
