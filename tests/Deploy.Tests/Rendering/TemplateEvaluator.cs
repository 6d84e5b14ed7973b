using System.Text;
using static CallImport.Deploy.Tests.Rendering.TemplateValues;

namespace CallImport.Deploy.Tests.Rendering;

/// <summary>
/// Executes parsed templates as text/template does, with Helm's strict setting (missingkey=error: a value a template
/// reads must exist, as <c>helm lint --strict</c> demands) and Helm's <c>include</c>.
/// </summary>
internal sealed class TemplateEvaluator(IReadOnlyDictionary<string, List<TemplateNode>> defines)
{
    private int _depth;

    public string Execute(List<TemplateNode> nodes, object? data)
    {
        var text = new StringBuilder();
        Walk(nodes, data, new Variables(data), text);
        return text.ToString();
    }

    public string Include(string name, object? data, string where)
    {
        if (!defines.TryGetValue(name, out var body))
            throw new TemplateException($"{where}: no template \"{name}\"");
        if (++_depth > 100)
            throw new TemplateException($"{where}: include \"{name}\" nests too deep");
        try
        {
            return Execute(body, data);
        }
        finally
        {
            _depth--;
        }
    }

    private void Walk(List<TemplateNode> nodes, object? dot, Variables variables, StringBuilder text)
    {
        foreach (var node in nodes)
        {
            switch (node)
            {
                case TextNode t:
                    text.Append(t.Text);
                    break;
                case ActionNode a:
                {
                    var value = Run(a.Pipeline, dot, variables, a.Where);
                    if (a.Pipeline.Variables.Count == 0)
                        text.Append(Print(value));
                    break;
                }
                case IfNode i:
                    variables.Push();
                    if (IsTrue(Run(i.Condition, dot, variables, i.Where)))
                        Walk(i.Then, dot, variables, text);
                    else if (i.Else is not null)
                        Walk(i.Else, dot, variables, text);
                    variables.Pop();
                    break;
                case WithNode w:
                {
                    variables.Push();
                    var value = Run(w.Value, dot, variables, w.Where);
                    if (IsTrue(value))
                        Walk(w.Body, value, variables, text);
                    else if (w.Else is not null)
                        Walk(w.Else, dot, variables, text);
                    variables.Pop();
                    break;
                }
                case RangeNode r:
                    WalkRange(r, dot, variables, text);
                    break;
                case IncludeTemplateNode t:
                    text.Append(Include(t.Name, t.Argument is null ? null : Run(t.Argument, dot, variables, t.Where), t.Where));
                    break;
            }
        }
    }

    private void WalkRange(RangeNode range, object? dot, Variables variables, StringBuilder text)
    {
        variables.Push();
        var items = RunCommands(range.Items, dot, variables, range.Where);
        IEnumerable<(object? Key, object? Value)> entries = items switch
        {
            null => [],
            IList<object?> list => list.Select((v, i) => ((object?)(long)i, v)),
            IDictionary<string, object?> map => map.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => ((object?)e.Key, e.Value)),
            _ => throw new TemplateException($"{range.Where}: range can't iterate over {Print(items)}"),
        };
        var any = false;
        foreach (var (key, value) in entries.ToList())
        {
            any = true;
            variables.Push();
            switch (range.Items.Variables)
            {
                case [var only]:
                    variables.Declare(only, value);
                    break;
                case [var k, var v]:
                    variables.Declare(k, key);
                    variables.Declare(v, value);
                    break;
            }
            Walk(range.Body, value, variables, text);
            variables.Pop();
        }
        if (!any && range.Else is not null)
            Walk(range.Else, dot, variables, text);
        variables.Pop();
    }

    private object? Run(Pipeline pipeline, object? dot, Variables variables, string where)
    {
        var value = RunCommands(pipeline, dot, variables, where);
        foreach (var name in pipeline.Variables)
        {
            if (pipeline.Declares)
                variables.Declare(name, value);
            else
                variables.Assign(name, value, where);
        }
        return value;
    }

    private object? RunCommands(Pipeline pipeline, object? dot, Variables variables, string where)
    {
        object? value = null;
        for (var i = 0; i < pipeline.Commands.Count; i++)
            value = RunCommand(pipeline.Commands[i], dot, variables, where, i > 0, value);
        return value;
    }

    private object? RunCommand(Command command, object? dot, Variables variables, string where, bool piped, object? pipedValue)
    {
        if (command.Operands[0] is FunctionExpression function)
        {
            var operands = command.Operands.Skip(1).Select(o => (Func<object?>)(() => Evaluate(o, dot, variables, where))).ToList();
            if (piped)
                operands.Add(() => pipedValue);
            return Call(function.Name, operands, where);
        }
        if (command.Operands.Count == 2 && !piped && command.Operands[0] is DotExpression or VariableExpression
            && Evaluate(command.Operands[0], dot, variables, where) is Func<string, object?> method)
            return method(TemplateFunctions.Str(Evaluate(command.Operands[1], dot, variables, where))); // a method with one argument: .Files.Get "path"
        if (command.Operands.Count > 1 || piped)
            throw new TemplateException($"{where}: can't give argument to non-function {command.Operands[0]}");
        return Evaluate(command.Operands[0], dot, variables, where);
    }

    private object? Call(string name, List<Func<object?>> operands, string where)
    {
        switch (name)
        {
            case "and":
            {
                object? value = null;
                foreach (var operand in operands)
                    if (!IsTrue(value = operand())) return value;
                return value;
            }
            case "or":
            {
                object? value = null;
                foreach (var operand in operands)
                    if (IsTrue(value = operand())) return value;
                return value;
            }
            case "include":
                return operands.Count == 2
                    ? Include(TemplateFunctions.Str(operands[0]()), operands[1](), where)
                    : throw new TemplateException($"{where}: include takes a name and a value");
        }
        if (!TemplateFunctions.All.TryGetValue(name, out var function))
            throw new TemplateException($"{where}: function \"{name}\" not defined");
        try
        {
            return function([.. operands.Select(o => o())]);
        }
        catch (TemplateException e) when (!e.Message.StartsWith(where, StringComparison.Ordinal))
        {
            throw new TemplateException($"{where}: {name}: {e.Message}");
        }
        catch (Exception e) when (e is IndexOutOfRangeException or InvalidCastException or ArgumentException)
        {
            throw new TemplateException($"{where}: {name}: wrong arguments ({e.Message})");
        }
    }

    private object? Evaluate(Expression expression, object? dot, Variables variables, string where) => expression switch
    {
        DotExpression d => Fields(dot, d.Fields, where),
        VariableExpression v => Fields(variables.Get(v.Name, where), v.Fields, where),
        LiteralExpression l => l.Value,
        SubPipelineExpression s => Fields(RunCommands(s.Pipeline, dot, variables, where), s.Fields, where),
        FunctionExpression f => Call(f.Name, [], where),
        _ => throw new TemplateException($"{where}: cannot evaluate {expression}"),
    };

    private static object? Fields(object? value, IReadOnlyList<string> names, string where)
    {
        foreach (var name in names)
        {
            value = value switch
            {
                null => throw new TemplateException($"{where}: nil pointer evaluating interface {{}}.{name}"),
                IDictionary<string, object?> map => map.TryGetValue(name, out var field)
                    ? field
                    : throw new TemplateException($"{where}: map has no entry for key \"{name}\""),
                _ => throw new TemplateException($"{where}: can't evaluate field {name} in type {KindOf(value)}"),
            };
        }
        return value;
    }

    /// <summary>Variables by scope: a block's declarations end with the block; <c>$</c> is the template's data.</summary>
    private sealed class Variables
    {
        private readonly List<Dictionary<string, object?>> _scopes;

        public Variables(object? root) => _scopes = [new Dictionary<string, object?>(StringComparer.Ordinal) { ["$"] = root }];

        public void Push() => _scopes.Add(new Dictionary<string, object?>(StringComparer.Ordinal));

        public void Pop() => _scopes.RemoveAt(_scopes.Count - 1);

        public void Declare(string name, object? value) => _scopes[^1][name] = value;

        public void Assign(string name, object? value, string where)
        {
            for (var i = _scopes.Count - 1; i >= 0; i--)
            {
                if (_scopes[i].ContainsKey(name))
                {
                    _scopes[i][name] = value;
                    return;
                }
            }
            throw new TemplateException($"{where}: undefined variable: {name}");
        }

        public object? Get(string name, string where)
        {
            for (var i = _scopes.Count - 1; i >= 0; i--)
                if (_scopes[i].TryGetValue(name, out var value))
                    return value;
            throw new TemplateException($"{where}: undefined variable: {name}");
        }
    }
}
