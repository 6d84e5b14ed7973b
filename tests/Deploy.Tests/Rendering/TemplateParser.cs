namespace CallImport.Deploy.Tests.Rendering;

/// <summary>A parsed template file: its body and the named templates it defines.</summary>
internal sealed record ParsedTemplate(string Name, List<TemplateNode> Body, Dictionary<string, List<TemplateNode>> Defines);

/// <summary>Builds the node tree of a template: if / else if / else, with, range, define, template, end.</summary>
internal sealed class TemplateParser
{
    private readonly List<TemplateSegment> _segments;
    private readonly string _name;
    private readonly Dictionary<string, List<TemplateNode>> _defines = new(StringComparer.Ordinal);
    private int _index;

    private TemplateParser(List<TemplateSegment> segments, string name) => (_segments, _name) = (segments, name);

    public static ParsedTemplate Parse(string source, string name)
    {
        var parser = new TemplateParser(TemplateSegments.Split(source, name), name);
        var (body, end) = parser.ParseList();
        if (end is not null)
            throw new TemplateException($"{name}:{end.Line}: unexpected {{{{{end.Code}}}}}");
        return new ParsedTemplate(name, body, parser._defines);
    }

    /// <summary>Nodes up to an <c>end</c> or <c>else…</c> (returned), or to the end of the file (null).</summary>
    private (List<TemplateNode> Nodes, ActionSegment? End) ParseList()
    {
        var nodes = new List<TemplateNode>();
        while (_index < _segments.Count)
        {
            var segment = _segments[_index++];
            if (segment is TextSegment text)
            {
                nodes.Add(new TextNode(text.Text));
                continue;
            }
            var action = (ActionSegment)segment;
            var where = $"{_name}:{action.Line}";
            var (keyword, rest) = SplitKeyword(action.Code);
            switch (keyword)
            {
                case "end" or "else":
                    return (nodes, action);
                case "if":
                    nodes.Add(ParseIf(rest, where));
                    break;
                case "with":
                {
                    var (body, elseBody) = ParseBlock(where, allowElseIf: false);
                    nodes.Add(new WithNode(PipelineParser.Parse(rest, where), body, elseBody, where));
                    break;
                }
                case "range":
                {
                    var (body, elseBody) = ParseBlock(where, allowElseIf: false);
                    nodes.Add(new RangeNode(PipelineParser.Parse(rest, where), body, elseBody, where));
                    break;
                }
                case "define":
                {
                    var name = Unquote(rest, where);
                    var (body, end) = ParseList();
                    if (end is null || end.Code != "end")
                        throw new TemplateException($"{where}: define \"{name}\" without end");
                    _defines[name] = body;
                    break;
                }
                case "template":
                {
                    var name = Unquote(rest.Split(' ', 2)[0], where);
                    var argument = rest.Split(' ', 2) is [_, var arg] && arg.Trim().Length > 0 ? PipelineParser.Parse(arg, where) : null;
                    nodes.Add(new IncludeTemplateNode(name, argument, where));
                    break;
                }
                case "block" or "break" or "continue":
                    throw new TemplateException($"{where}: '{keyword}' is not supported by this renderer");
                default:
                    nodes.Add(new ActionNode(PipelineParser.Parse(action.Code, where), where));
                    break;
            }
        }
        return (nodes, null);
    }

    private IfNode ParseIf(string condition, string where)
    {
        var (then, elseBody) = ParseBlock(where, allowElseIf: true);
        return new IfNode(PipelineParser.Parse(condition, where), then, elseBody, where);
    }

    /// <summary>The body up to <c>end</c>, with an optional <c>else</c> (or <c>else if …</c>, which nests).</summary>
    private (List<TemplateNode> Body, List<TemplateNode>? Else) ParseBlock(string where, bool allowElseIf)
    {
        var (body, end) = ParseList();
        if (end is null)
            throw new TemplateException($"{where}: missing {{{{end}}}}");
        if (end.Code == "end")
            return (body, null);
        var elseCode = end.Code["else".Length..].Trim();
        if (elseCode.Length == 0)
        {
            var (elseBody, close) = ParseList();
            if (close is null || close.Code != "end")
                throw new TemplateException($"{where}: else without end");
            return (body, elseBody);
        }
        var (keyword, rest) = SplitKeyword(elseCode);
        if (keyword != "if" || !allowElseIf)
            throw new TemplateException($"{_name}:{end.Line}: unsupported {{{{{end.Code}}}}}");
        // "else if" ends the whole chain with one end: the nested if consumes it.
        return (body, [ParseIf(rest, $"{_name}:{end.Line}")]);
    }

    private static (string Keyword, string Remainder) SplitKeyword(string code)
    {
        var space = code.IndexOfAny([' ', '\t', '\n']);
        var word = space < 0 ? code : code[..space];
        return word is "if" or "else" or "end" or "with" or "range" or "define" or "template" or "block" or "break" or "continue"
            ? (word, space < 0 ? "" : code[(space + 1)..].Trim())
            : ("", code);
    }

    private static string Unquote(string text, string where)
    {
        var trimmed = text.Trim();
        if (trimmed.Length < 2 || trimmed[0] != '"' || trimmed[^1] != '"')
            throw new TemplateException($"{where}: expected a quoted template name, got '{text}'");
        return trimmed[1..^1];
    }
}
