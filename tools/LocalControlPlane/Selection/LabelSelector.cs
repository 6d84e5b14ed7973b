using System.Text.Json.Nodes;
using CallImport.LocalControlPlane.Http;

namespace CallImport.LocalControlPlane.Selection;

/// <summary>A parsed labelSelector: comma-joined requirements, all of which must hold.</summary>
public sealed class LabelSelector
{
    private readonly List<Func<IReadOnlyDictionary<string, string>, bool>> requirements = [];

    public static LabelSelector Everything { get; } = new();

    public static LabelSelector Parse(string? text)
    {
        var selector = new LabelSelector();
        if (string.IsNullOrWhiteSpace(text))
        {
            return selector;
        }
        foreach (var part in SplitTopLevel(text))
        {
            selector.requirements.Add(ParseRequirement(part.Trim(), text));
        }
        return selector;
    }

    public bool Matches(JsonObject obj)
    {
        if (requirements.Count == 0)
        {
            return true;
        }
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (obj["metadata"]?["labels"] is JsonObject map)
        {
            foreach (var (k, v) in map)
            {
                labels[k] = v?.ToString() ?? "";
            }
        }
        return requirements.All(r => r(labels));
    }

    private static Func<IReadOnlyDictionary<string, string>, bool> ParseRequirement(string part, string whole)
    {
        if (part.Length == 0)
        {
            throw Bad(whole);
        }
        if (part.StartsWith('!'))
        {
            var key = Key(part[1..], whole);
            return labels => !labels.ContainsKey(key);
        }
        foreach (var (op, negate) in new[] { (" notin ", true), (" in ", false) })
        {
            var at = part.IndexOf(op, StringComparison.Ordinal);
            if (at > 0)
            {
                var key = Key(part[..at], whole);
                var list = part[(at + op.Length)..].Trim();
                if (!list.StartsWith('(') || !list.EndsWith(')'))
                {
                    throw Bad(whole);
                }
                var values = list[1..^1].Split(',', StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
                return negate
                    ? labels => !labels.TryGetValue(key, out var v) || !values.Contains(v)
                    : labels => labels.TryGetValue(key, out var v) && values.Contains(v);
            }
        }
        foreach (var op in new[] { "!=", "==", "=" })
        {
            var at = part.IndexOf(op, StringComparison.Ordinal);
            if (at > 0)
            {
                var key = Key(part[..at], whole);
                var value = part[(at + op.Length)..].Trim();
                return op == "!="
                    ? labels => !labels.TryGetValue(key, out var v) || v != value
                    : labels => labels.TryGetValue(key, out var v) && v == value;
            }
        }
        if (part.IndexOfAny(['(', ')', ' ', '<', '>']) >= 0)
        {
            throw Bad(whole);
        }
        var exists = Key(part, whole);
        return labels => labels.ContainsKey(exists);
    }

    private static string Key(string text, string whole)
    {
        var key = text.Trim();
        if (key.Length == 0 || key.IndexOfAny([' ', '(', ')', ',', '!', '=']) >= 0)
        {
            throw Bad(whole);
        }
        return key;
    }

    private static ApiException Bad(string whole) =>
        ApiException.BadRequest($"unable to parse requirement: found '{whole}', expected: identifier");

    // Commas inside "in (a,b)" do not split requirements.
    private static IEnumerable<string> SplitTopLevel(string text)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '(') depth++;
            else if (text[i] == ')') depth--;
            else if (text[i] == ',' && depth == 0)
            {
                yield return text[start..i];
                start = i + 1;
            }
        }
        yield return text[start..];
    }
}
