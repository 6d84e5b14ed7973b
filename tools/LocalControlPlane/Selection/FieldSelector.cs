using System.Text.Json.Nodes;
using CallImport.LocalControlPlane.Http;
using CallImport.LocalControlPlane.Resources;

namespace CallImport.LocalControlPlane.Selection;

/// <summary>A parsed fieldSelector: =, == and != over the fields the resource type supports.</summary>
public sealed class FieldSelector
{
    private readonly List<(string Path, string Value, bool Negate)> terms = [];

    public static FieldSelector Parse(string? text, ResourceType type)
    {
        var selector = new FieldSelector();
        if (string.IsNullOrWhiteSpace(text))
        {
            return selector;
        }
        foreach (var raw in text.Split(','))
        {
            var part = raw.Trim();
            var (field, value, negate) = Split(part)
                ?? throw ApiException.BadRequest($"invalid selector: '{text}'; can't understand '{part}'");
            var path = field switch
            {
                "metadata.name" => ".metadata.name",
                "metadata.namespace" when type.Namespaced => ".metadata.namespace",
                _ => type.SelectableFields.TryGetValue(field, out var p) ? p : null,
            } ?? throw ApiException.BadRequest($"field label not supported: {field}");
            selector.terms.Add((path, value, negate));
        }
        return selector;
    }

    public bool Matches(JsonObject obj)
    {
        foreach (var (path, value, negate) in terms)
        {
            var actual = JsonPath.Evaluate(obj, path).FirstOrDefault() switch
            {
                null => "",
                JsonValue v when v.TryGetValue<bool>(out var b) => b ? "true" : "false",
                var node => node is JsonValue jv && jv.TryGetValue<string>(out var s) ? s : node.ToJsonString(),
            };
            if ((actual == value) == negate)
            {
                return false;
            }
        }
        return true;
    }

    private static (string Field, string Value, bool Negate)? Split(string part)
    {
        foreach (var op in new[] { "!=", "==", "=" })
        {
            var at = part.IndexOf(op, StringComparison.Ordinal);
            if (at > 0)
            {
                return (part[..at].Trim(), part[(at + op.Length)..].Trim(), op == "!=");
            }
        }
        return null;
    }
}
