using System.Text.Json.Nodes;

namespace CallImport.LocalControlPlane.Selection;

/// <summary>
/// The small JSONPath subset printer columns and selectable fields use: `.a.b`, `['a.b']`, `[0]`, `[*]`
/// and `[?(@.type=="Ready")]`, optionally wrapped in `{…}`.
/// </summary>
public static class JsonPath
{
    public static IEnumerable<JsonNode> Evaluate(JsonNode? root, string path)
    {
        var text = path.Trim();
        if (text.StartsWith('{') && text.EndsWith('}'))
        {
            text = text[1..^1];
        }
        if (text.StartsWith('$'))
        {
            text = text[1..];
        }
        IEnumerable<JsonNode?> current = [root];
        var i = 0;
        while (i < text.Length)
        {
            if (text[i] == '.')
            {
                var end = i + 1;
                while (end < text.Length && text[end] != '.' && text[end] != '[') end++;
                var name = text[(i + 1)..end];
                current = current.Select(n => n is JsonObject o && name.Length > 0 ? o[name] : (name.Length == 0 ? n : null)).ToList();
                i = end;
            }
            else if (text[i] == '[')
            {
                var end = FindClose(text, i);
                var inner = text[(i + 1)..end].Trim();
                current = Step(current, inner).ToList();
                i = end + 1;
            }
            else
            {
                // A bare leading name ("spec.x") reads like ".spec.x".
                text = "." + text[i..];
                i = 0;
            }
        }
        return current.Where(n => n is not null)!;
    }

    private static IEnumerable<JsonNode?> Step(IEnumerable<JsonNode?> nodes, string inner)
    {
        foreach (var node in nodes)
        {
            if (inner == "*")
            {
                if (node is JsonArray all) foreach (var item in all) yield return item;
                else if (node is JsonObject o) foreach (var (_, v) in o) yield return v;
            }
            else if (inner.StartsWith("?(", StringComparison.Ordinal) && inner.EndsWith(')'))
            {
                var (field, value) = ParseFilter(inner[2..^1]);
                if (node is JsonArray items)
                {
                    foreach (var item in items)
                    {
                        var actual = Evaluate(item, field).FirstOrDefault();
                        if (actual is JsonValue jv && jv.ToString() == value) yield return item;
                    }
                }
            }
            else if (inner.StartsWith('\'') || inner.StartsWith('"'))
            {
                yield return node is JsonObject o ? o[inner.Trim('\'', '"')] : null;
            }
            else if (int.TryParse(inner, out var index))
            {
                if (node is JsonArray array)
                {
                    var at = index < 0 ? array.Count + index : index;
                    yield return at >= 0 && at < array.Count ? array[at] : null;
                }
            }
        }
    }

    private static (string Field, string Value) ParseFilter(string expression)
    {
        var at = expression.IndexOf("==", StringComparison.Ordinal);
        if (at < 0)
        {
            return (expression.Trim().TrimStart('@'), "");
        }
        var field = expression[..at].Trim().TrimStart('@');
        var value = expression[(at + 2)..].Trim().Trim('"', '\'');
        return (field, value);
    }

    private static int FindClose(string text, int open)
    {
        var depth = 0;
        for (var i = open; i < text.Length; i++)
        {
            if (text[i] == '[') depth++;
            else if (text[i] == ']' && --depth == 0) return i;
        }
        return text.Length - 1;
    }
}
