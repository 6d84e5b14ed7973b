namespace CallImport.Deploy.Tests.Rendering;

/// <summary>A piece of a Go template: literal text, or the code of one <c>{{ … }}</c> action.</summary>
internal abstract record TemplateSegment(int Line);

internal sealed record TextSegment(string Text, int Line) : TemplateSegment(Line);

internal sealed record ActionSegment(string Code, int Line) : TemplateSegment(Line);

/// <summary>
/// Splits a Go template into text and actions, applying the trim markers (<c>{{- </c> and <c> -}}</c> remove the
/// white space next to them, newlines included) and dropping comments, as text/template does.
/// </summary>
internal static class TemplateSegments
{
    public static List<TemplateSegment> Split(string source, string name)
    {
        var segments = new List<TemplateSegment>();
        var position = 0;
        var trimNextText = false;
        while (position <= source.Length)
        {
            var open = source.IndexOf("{{", position, StringComparison.Ordinal);
            var text = open < 0 ? source[position..] : source[position..open];
            if (trimNextText)
                text = text.TrimStart();
            var start = open + 2;
            var trimLeft = open >= 0 && start + 1 < source.Length && source[start] == '-' && char.IsWhiteSpace(source[start + 1]);
            if (trimLeft)
                text = text.TrimEnd();
            if (text.Length > 0)
                segments.Add(new TextSegment(text, LineOf(source, position)));
            if (open < 0)
                break;
            if (trimLeft)
                start++;
            var close = FindClose(source, start, name);
            var trimRight = close - 2 >= start && source[close - 1] == '-' && char.IsWhiteSpace(source[close - 2]);
            var code = source[start..(trimRight ? close - 1 : close)].Trim();
            if (!(code.StartsWith("/*", StringComparison.Ordinal) && code.EndsWith("*/", StringComparison.Ordinal)))
                segments.Add(new ActionSegment(code, LineOf(source, open)));
            trimNextText = trimRight;
            position = close + 2;
        }
        return segments;
    }

    /// <summary>The <c>}}</c> that ends the action, skipping quoted strings and comments that may contain one.</summary>
    private static int FindClose(string source, int from, string name)
    {
        for (var i = from; i < source.Length - 1; i++)
        {
            switch (source[i])
            {
                case '"':
                    for (i++; i < source.Length && source[i] != '"'; i++)
                        if (source[i] == '\\') i++;
                    break;
                case '`':
                    i = source.IndexOf('`', i + 1);
                    break;
                case '/' when source[i + 1] == '*':
                    i = source.IndexOf("*/", i + 2, StringComparison.Ordinal) + 1;
                    break;
                case '}' when source[i + 1] == '}':
                    return i;
            }
            if (i < 0)
                break;
        }
        throw new TemplateException($"{name}:{LineOf(source, from)}: unclosed action");
    }

    private static int LineOf(string source, int index) => 1 + source.AsSpan(0, Math.Clamp(index, 0, source.Length)).Count('\n');
}
