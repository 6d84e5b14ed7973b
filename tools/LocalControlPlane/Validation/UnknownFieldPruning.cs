using System.Text.Json.Nodes;

namespace CallImport.LocalControlPlane.Validation;

/// <summary>
/// Drops fields the structural schema does not declare, unless a node preserves unknown fields,
/// and reports each dropped path (<c>spec.foo</c>) for the fieldValidation warning or error.
/// </summary>
internal static class UnknownFieldPruning
{
    private static readonly string[] ObjectEnvelope = ["apiVersion", "kind", "metadata"];

    public static void PruneRoot(JsonObject obj, JsonObject schema, List<string> pruned)
    {
        // apiVersion, kind and metadata are the server's, never the schema's: metadata's own fields stay untouched.
        PruneObject(obj, schema, "", pruned, keep: ObjectEnvelope);
    }

    private static void Prune(JsonNode? node, JsonObject? schema, string path, List<string> pruned)
    {
        if (schema is null)
        {
            return;
        }

        switch (node)
        {
            case JsonObject obj:
                PruneObject(obj, schema, path, pruned, keep: schema.IsEmbeddedResource() ? ObjectEnvelope : []);
                break;
            case JsonArray array when schema.Items() is { } items:
                for (var i = 0; i < array.Count; i++)
                {
                    Prune(array[i], items, FieldPath.Index(path, i), pruned);
                }

                break;
        }
    }

    private static void PruneObject(JsonObject obj, JsonObject schema, string path, List<string> pruned, string[] keep)
    {
        var preserve = schema.PreservesUnknownFields();
        var properties = schema.Properties();
        var mapValues = schema.AdditionalProperties();
        foreach (var (name, value) in obj.ToList())
        {
            if (keep.Contains(name))
            {
                continue;
            }

            var childPath = FieldPath.Child(path, name);
            var childSchema = properties?[name] as JsonObject ?? mapValues;
            if (childSchema is null)
            {
                if (!preserve)
                {
                    obj.Remove(name);
                    pruned.Add(childPath);
                }

                continue;
            }

            Prune(value, childSchema, childPath, pruned);
        }
    }
}
