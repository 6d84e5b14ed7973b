using System.Text.Json.Nodes;
using CallImport.LocalControlPlane.Http;

namespace CallImport.LocalControlPlane.Patching;

/// <summary>
/// RFC 6902 JSON patch. A malformed document is a <see cref="ApiException.BadRequest"/>; an operation that
/// cannot apply (missing path, failed test) throws <see cref="JsonPatchFailedException"/> for a 422.
/// </summary>
public static class JsonPatch
{
    public static JsonNode Apply(JsonNode target, JsonNode? patch)
    {
        if (patch is not JsonArray operations)
        {
            throw ApiException.BadRequest("the patch is not a JSON array of operations");
        }
        var document = target.DeepClone();
        foreach (var item in operations)
        {
            if (item is not JsonObject op || (string?)op["op"] is not { } name || (string?)op["path"] is not { } path)
            {
                throw ApiException.BadRequest("json patch operations need op and path");
            }
            switch (name)
            {
                case "add": document = Add(document, path, Value(op)); break;
                case "remove": document = Remove(document, path, out _); break;
                case "replace": Remove(document, path, out _); document = Add(document, path, Value(op)); break;
                case "move":
                    document = Remove(document, From(op), out var moved);
                    document = Add(document, path, moved);
                    break;
                case "copy": document = Add(document, path, Get(document, From(op))?.DeepClone()); break;
                case "test":
                    if (!JsonNode.DeepEquals(Get(document, path), op["value"]))
                    {
                        throw new JsonPatchFailedException($"testing value {path} failed");
                    }
                    break;
                default: throw ApiException.BadRequest($"Unexpected kind: {name}");
            }
        }
        return document;
    }

    private static JsonNode? Value(JsonObject op) =>
        op.ContainsKey("value") ? op["value"]?.DeepClone() : throw ApiException.BadRequest("missing value");

    private static string From(JsonObject op) => (string?)op["from"] ?? throw ApiException.BadRequest("missing from");

    private static List<string> Tokens(string path) =>
        path.Length == 0 ? [] : [.. path.Split('/').Skip(1).Select(t => t.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal))];

    private static JsonNode? Get(JsonNode document, string path)
    {
        JsonNode? node = document;
        foreach (var token in Tokens(path))
        {
            node = node switch
            {
                JsonObject o when o.ContainsKey(token) => o[token],
                JsonArray a when int.TryParse(token, out var i) && i >= 0 && i < a.Count => a[i],
                _ => throw new JsonPatchFailedException($"doc is missing path: \"{path}\""),
            };
        }
        return node;
    }

    private static JsonNode Add(JsonNode document, string path, JsonNode? value)
    {
        var tokens = Tokens(path);
        if (tokens.Count == 0)
        {
            return value ?? throw new JsonPatchFailedException("cannot replace the document with null");
        }
        var parent = Get(document, "/" + string.Join('/', tokens[..^1].Select(Escape)));
        var last = tokens[^1];
        switch (parent)
        {
            case JsonObject o: o[last] = value; break;
            case JsonArray a when last == "-": a.Add(value); break;
            case JsonArray a when int.TryParse(last, out var i) && i >= 0 && i <= a.Count: a.Insert(i, value); break;
            default: throw new JsonPatchFailedException($"doc is missing path: \"{path}\"");
        }
        return document;
    }

    private static JsonNode Remove(JsonNode document, string path, out JsonNode? removed)
    {
        var tokens = Tokens(path);
        if (tokens.Count == 0)
        {
            throw new JsonPatchFailedException("cannot remove the whole document");
        }
        var parent = Get(document, "/" + string.Join('/', tokens[..^1].Select(Escape)));
        var last = tokens[^1];
        switch (parent)
        {
            case JsonObject o when o.ContainsKey(last):
                removed = o[last];
                o.Remove(last);
                break;
            case JsonArray a when int.TryParse(last, out var i) && i >= 0 && i < a.Count:
                removed = a[i];
                a.RemoveAt(i);
                break;
            default: throw new JsonPatchFailedException($"doc is missing path: \"{path}\"");
        }
        return document;
    }

    private static string Escape(string token) => token.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);
}

/// <summary>A JSON patch operation that could not be applied (422 on the wire).</summary>
public sealed class JsonPatchFailedException(string message) : Exception(message);
