using System.Globalization;
using System.Text;

namespace CallImport.Deploy.Tests.Rendering;

/// <summary>Parses the code of one action into a <see cref="Pipeline"/> (text/template's pipeline grammar).</summary>
internal sealed class PipelineParser
{
    private readonly string _code;
    private readonly string _where;
    private int _position;

    private PipelineParser(string code, string where) => (_code, _where) = (code, where);

    public static Pipeline Parse(string code, string where)
    {
        var parser = new PipelineParser(code, where);
        var pipeline = parser.ParsePipeline();
        parser.SkipSpace();
        if (parser._position < code.Length)
            throw parser.Error($"unexpected '{code[parser._position..]}'");
        return pipeline;
    }

    private Pipeline ParsePipeline()
    {
        var (variables, declares) = ParseDeclaration();
        var commands = new List<Command>();
        while (true)
        {
            var operands = new List<Expression>();
            while (true)
            {
                SkipSpace();
                if (AtEnd || Peek is '|' or ')')
                    break;
                operands.Add(ParseOperand());
            }
            if (operands.Count == 0)
                throw Error("empty command");
            commands.Add(new Command(operands));
            SkipSpace();
            if (!AtEnd && Peek == '|')
            {
                _position++;
                continue;
            }
            return new Pipeline(variables, declares, commands);
        }
    }

    /// <summary><c>$x :=</c>, <c>$k, $v :=</c> or <c>$x =</c>; nothing when the pipeline does not start with one.</summary>
    private (List<string>, bool) ParseDeclaration()
    {
        var start = _position;
        var names = new List<string>();
        while (true)
        {
            SkipSpace();
            if (AtEnd || Peek != '$')
                break;
            var name = ReadWhile(1, c => char.IsLetterOrDigit(c) || c == '_');
            names.Add(name);
            SkipSpace();
            if (!AtEnd && Peek == ',')
            {
                _position++;
                continue;
            }
            if (Rest.StartsWith(":=", StringComparison.Ordinal))
            {
                _position += 2;
                return (names, true);
            }
            if (Rest.StartsWith('=') && !Rest.StartsWith("==", StringComparison.Ordinal))
            {
                _position += 1;
                return (names, false);
            }
            break;
        }
        _position = start;
        return ([], false);
    }

    private Expression ParseOperand()
    {
        var c = Peek;
        if (c == '(')
        {
            _position++;
            var inner = ParsePipeline();
            SkipSpace();
            if (AtEnd || Peek != ')')
                throw Error("missing ')'");
            _position++;
            return new SubPipelineExpression(inner, ReadFields());
        }
        if (c == '.')
        {
            var fields = ReadFields();
            return new DotExpression(fields);
        }
        if (c == '$')
        {
            var name = ReadWhile(1, ch => char.IsLetterOrDigit(ch) || ch == '_');
            return new VariableExpression(name, ReadFields());
        }
        if (c == '"')
            return new LiteralExpression(ReadQuoted());
        if (c == '`')
        {
            var end = _code.IndexOf('`', _position + 1);
            if (end < 0) throw Error("unclosed raw string");
            var raw = _code[(_position + 1)..end];
            _position = end + 1;
            return new LiteralExpression(raw);
        }
        if (char.IsDigit(c) || (c == '-' && _position + 1 < _code.Length && char.IsDigit(_code[_position + 1])))
        {
            var number = ReadWhile(0, ch => char.IsDigit(ch) || ch is '.' or '-' or 'e' or 'E' or '+' or 'x');
            return new LiteralExpression(number.Contains('.', StringComparison.Ordinal) || number.Contains('e', StringComparison.OrdinalIgnoreCase)
                ? (object)double.Parse(number, CultureInfo.InvariantCulture)
                : long.Parse(number, CultureInfo.InvariantCulture));
        }
        if (char.IsLetter(c) || c == '_')
        {
            var word = ReadWhile(0, ch => char.IsLetterOrDigit(ch) || ch == '_');
            return word switch
            {
                "true" => new LiteralExpression(true),
                "false" => new LiteralExpression(false),
                "nil" => new LiteralExpression(null),
                _ => new FunctionExpression(word),
            };
        }
        throw Error($"unexpected '{c}'");
    }

    /// <summary><c>.A.B</c> right after an operand (no space): its field names; a lone <c>.</c> gives none.</summary>
    private List<string> ReadFields()
    {
        var fields = new List<string>();
        while (!AtEnd && Peek == '.')
        {
            _position++;
            var name = ReadWhile(0, ch => char.IsLetterOrDigit(ch) || ch == '_');
            if (name.Length == 0)
                break;
            fields.Add(name);
        }
        return fields;
    }

    private string ReadQuoted()
    {
        var text = new StringBuilder();
        for (_position++; ; _position++)
        {
            if (AtEnd) throw Error("unclosed string");
            var c = _code[_position];
            if (c == '"') { _position++; return text.ToString(); }
            if (c != '\\') { text.Append(c); continue; }
            _position++;
            text.Append(_code[_position] switch { 'n' => '\n', 't' => '\t', 'r' => '\r', var other => other });
        }
    }

    private string ReadWhile(int skip, Func<char, bool> accept)
    {
        var start = _position;
        _position += skip;
        while (!AtEnd && accept(Peek))
            _position++;
        return _code[start.._position];
    }

    private void SkipSpace()
    {
        while (!AtEnd && char.IsWhiteSpace(Peek))
            _position++;
    }

    private bool AtEnd => _position >= _code.Length;

    private char Peek => _code[_position];

    private string Rest => _code[_position..];

    private TemplateException Error(string message) => new($"{_where}: {message} in '{_code}'");
}
