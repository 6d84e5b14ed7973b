using System.Text.Json.Nodes;

namespace CallImport.LocalControlPlane.Validation;

/// <summary>
/// Applies schema <c>default</c>s the way the API server does: only inside objects that exist,
/// recursing into properties, array items and map values. A null where a default exists becomes the default.
/// </summary>
internal static class SchemaDefaulting
{
    public static void Apply(JsonNode? node, JsonObject? schema)
    {
        if (schema is null)
        {
            return;
        }

        switch (node)
        {
            case JsonObject obj:
                ApplyToObject(obj, schema);
                break;
            case JsonArray array when schema.Items() is { } items:
                foreach (var item in array)
                {
                    Apply(item, items);
                }

                break;
        }
    }

    private static void ApplyToObject(JsonObject obj, JsonObject schema)
    {
        if (schema.Properties() is { } properties)
        {
            foreach (var (name, propertyNode) in properties)
            {
                if (propertyNode is JsonObject property && property["default"] is { } defaultValue
                    && (!obj.ContainsKey(name) || obj[name] is null))
                {
                    obj[name] = defaultValue.DeepClone();
                }
            }
        }

        foreach (var (name, value) in obj.ToList())
        {
            Apply(value, schema.Properties()?[name] as JsonObject ?? schema.AdditionalProperties());
        }
    }
}
