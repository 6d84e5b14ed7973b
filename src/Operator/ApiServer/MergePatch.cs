using System.Text.Json.Nodes;

namespace CallImport.Operator.ApiServer;

/// <summary>An RFC 7386 merge patch from one JSON object to another: changed members, removed ones as null.</summary>
internal static class MergePatch
{
    public static JsonNode? Between(JsonNode? before, JsonNode? after)
    {
        if (before is not JsonObject from || after is not JsonObject to)
            return after?.DeepClone();
        var patch = new JsonObject();
        foreach (var (name, value) in to)
        {
            if (!from.TryGetPropertyValue(name, out var old))
                patch[name] = value?.DeepClone();
            else if (!JsonNode.DeepEquals(old, value))
                patch[name] = old is JsonObject && value is JsonObject ? Between(old, value) : value?.DeepClone();
        }
        foreach (var (name, _) in from)
        {
            if (!to.ContainsKey(name))
                patch[name] = null;
        }
        return patch;
    }
}
