namespace CallImport.Deploy.Tests.Rendering;

// The parsed form of a Go template: the nodes of text/template that Helm charts use.

internal abstract record TemplateNode;

internal sealed record TextNode(string Text) : TemplateNode;

/// <summary><c>{{ pipeline }}</c>: prints the value, unless the pipeline declares or assigns a variable.</summary>
internal sealed record ActionNode(Pipeline Pipeline, string Where) : TemplateNode;

internal sealed record IfNode(Pipeline Condition, List<TemplateNode> Then, List<TemplateNode>? Else, string Where) : TemplateNode;

internal sealed record WithNode(Pipeline Value, List<TemplateNode> Body, List<TemplateNode>? Else, string Where) : TemplateNode;

internal sealed record RangeNode(Pipeline Items, List<TemplateNode> Body, List<TemplateNode>? Else, string Where) : TemplateNode;

internal sealed record IncludeTemplateNode(string Name, Pipeline? Argument, string Where) : TemplateNode;

/// <summary><c>$a, $b := cmd | cmd</c> (or <c>=</c> to assign an existing variable).</summary>
internal sealed record Pipeline(IReadOnlyList<string> Variables, bool Declares, IReadOnlyList<Command> Commands);

/// <summary>A function call (first operand an identifier) or a single value.</summary>
internal sealed record Command(IReadOnlyList<Expression> Operands);

internal abstract record Expression;

/// <summary><c>.</c> or <c>.A.B</c>: fields of the current value.</summary>
internal sealed record DotExpression(IReadOnlyList<string> Fields) : Expression;

/// <summary><c>$</c>, <c>$x</c>, <c>$x.A.B</c>.</summary>
internal sealed record VariableExpression(string Name, IReadOnlyList<string> Fields) : Expression;

internal sealed record FunctionExpression(string Name) : Expression;

internal sealed record LiteralExpression(object? Value) : Expression;

/// <summary><c>(pipeline).A.B</c>.</summary>
internal sealed record SubPipelineExpression(Pipeline Pipeline, IReadOnlyList<string> Fields) : Expression;
