using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace CallImport.Testing.Fakes.Fireflies;

/// <summary>One selected field of a GraphQL query: its name (and alias), its arguments with variables resolved, its sub-selection.</summary>
public sealed record GraphQLField(string Name, string ResponseKey, IReadOnlyDictionary<string, JsonNode?> Arguments, IReadOnlyList<GraphQLField>? Selection);

/// <summary>A query the fake's parser refuses (a GraphQL syntax error).</summary>
public sealed class GraphQLSyntaxException(string message) : Exception(message);

/// <summary>
/// Just enough of GraphQL's query language for the fake to read what clients send: an optional <c>query Name(...)</c>
/// header, nested selection sets, aliases, arguments (variables, strings, numbers, booleans, null, lists, objects).
/// Fragments, directives and mutations are outside what the import needs and are refused as syntax errors.
/// </summary>
public static class FirefliesFakeGraphQL
{
    public static IReadOnlyList<GraphQLField> Parse(string query, JsonObject? variables)
    {
        var parser = new Parser(Tokens(query), variables ?? []);
        return parser.Document();
    }

    private sealed class Parser(List<string> tokens, JsonObject variables)
    {
        private int _at;

        private string Peek => _at < tokens.Count ? tokens[_at] : "";

        private string Next() => _at < tokens.Count ? tokens[_at++] : throw new GraphQLSyntaxException("Syntax Error: Unexpected <EOF>.");

        private void Expect(string token)
        {
            var got = Next();
            if (got != token) throw new GraphQLSyntaxException($"Syntax Error: Expected \"{token}\", found \"{got}\".");
        }

        public IReadOnlyList<GraphQLField> Document()
        {
            if (Peek is "mutation" or "subscription" or "fragment")
                throw new GraphQLSyntaxException($"Syntax Error: this fake serves queries only, not \"{Peek}\".");
            if (Peek == "query")
            {
                Next();
                if (IsName(Peek)) Next();
                if (Peek == "(") SkipBalanced("(", ")");
            }
            var selection = SelectionSet();
            if (_at != tokens.Count) throw new GraphQLSyntaxException($"Syntax Error: Unexpected \"{Peek}\".");
            return selection;
        }

        private List<GraphQLField> SelectionSet()
        {
            Expect("{");
            var fields = new List<GraphQLField>();
            while (Peek != "}")
            {
                if (Peek is "..." or "@") throw new GraphQLSyntaxException("Syntax Error: fragments and directives are not served by this fake.");
                var name = Name();
                var key = name;
                if (Peek == ":")
                {
                    Next();
                    name = Name();
                }
                var arguments = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
                if (Peek == "(")
                {
                    Next();
                    while (Peek != ")")
                    {
                        var argument = Name();
                        Expect(":");
                        arguments[argument] = Value();
                    }
                    Next();
                }
                var selection = Peek == "{" ? SelectionSet() : null;
                fields.Add(new GraphQLField(name, key, arguments, selection));
            }
            Next();
            if (fields.Count == 0) throw new GraphQLSyntaxException("Syntax Error: Expected Name, found \"}\".");
            return fields;
        }

        private JsonNode? Value()
        {
            var token = Next();
            switch (token)
            {
                case "$":
                    var name = Name();
                    return variables.TryGetPropertyValue(name, out var value) ? value?.DeepClone() : null;
                case "[":
                    var list = new JsonArray();
                    while (Peek != "]") list.Add(Value());
                    Next();
                    return list;
                case "{":
                    var obj = new JsonObject();
                    while (Peek != "}")
                    {
                        var field = Name();
                        Expect(":");
                        obj[field] = Value();
                    }
                    Next();
                    return obj;
                case "true": return JsonValue.Create(true);
                case "false": return JsonValue.Create(false);
                case "null": return null;
            }
            if (token.StartsWith('"')) return JsonValue.Create(token[1..]);
            // Parsed as JSON, so the value reads as any numeric type (as variables do).
            if (double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out _)) return JsonNode.Parse(token);
            if (IsName(token)) return JsonValue.Create(token); // an enum value
            throw new GraphQLSyntaxException($"Syntax Error: Unexpected \"{token}\".");
        }

        private string Name()
        {
            var token = Next();
            return IsName(token) ? token : throw new GraphQLSyntaxException($"Syntax Error: Expected Name, found \"{token}\".");
        }

        private void SkipBalanced(string open, string close)
        {
            var depth = 0;
            do
            {
                var token = Next();
                if (token == open) depth++;
                else if (token == close) depth--;
            } while (depth > 0);
        }
    }

    private static bool IsName(string token) => token.Length > 0 && (char.IsAsciiLetter(token[0]) || token[0] == '_');

    /// <summary>Punctuators, names, numbers and strings (kept with a leading quote); commas and comments are ignored, as GraphQL says.</summary>
    private static List<string> Tokens(string query)
    {
        var tokens = new List<string>();
        for (var i = 0; i < query.Length;)
        {
            var c = query[i];
            if (char.IsWhiteSpace(c) || c == ',' || c == '\uFEFF') { i++; continue; }
            if (c == '#') { while (i < query.Length && query[i] != '\n') i++; continue; }
            if (query.AsSpan(i).StartsWith("...")) { tokens.Add("..."); i += 3; continue; }
            if ("{}()[]:!$=@|&".Contains(c)) { tokens.Add(c.ToString()); i++; continue; }
            if (c == '"')
            {
                var text = new StringBuilder("\"");
                for (i++; ; i++)
                {
                    if (i >= query.Length) throw new GraphQLSyntaxException("Syntax Error: Unterminated string.");
                    if (query[i] == '"') { i++; break; }
                    if (query[i] == '\\' && i + 1 < query.Length)
                    {
                        i++;
                        text.Append(query[i] switch { 'n' => '\n', 't' => '\t', 'r' => '\r', var e => e });
                        continue;
                    }
                    text.Append(query[i]);
                }
                tokens.Add(text.ToString());
                continue;
            }
            var start = i;
            if (char.IsAsciiLetter(c) || c == '_')
                while (i < query.Length && (char.IsAsciiLetterOrDigit(query[i]) || query[i] == '_')) i++;
            else if (char.IsAsciiDigit(c) || c == '-')
                for (i++; i < query.Length && (char.IsAsciiDigit(query[i]) || query[i] is '.' or 'e' or 'E' or '+' or '-'); i++) { }
            else
                throw new GraphQLSyntaxException($"Syntax Error: Unexpected character \"{c}\".");
            tokens.Add(query[start..i]);
        }
        return tokens;
    }
}
