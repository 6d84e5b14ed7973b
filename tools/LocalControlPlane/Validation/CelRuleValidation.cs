using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Cel;
using CallImport.LocalControlPlane.Resources;

namespace CallImport.LocalControlPlane.Validation;

/// <summary>
/// Evaluates <c>x-kubernetes-validations</c> rules with the Cel package, binding <c>self</c> (and
/// <c>oldSelf</c> on updates) to each node's value. Transition rules are skipped when there is no old value,
/// as the API server does on create and for fields that were absent before.
/// </summary>
internal sealed partial class CelRuleValidation
{
    private readonly CelEnvironment _environment = CreateEnvironment();
    private readonly ConcurrentDictionary<string, Lazy<CompiledRule>> _compiled = new();
    private readonly Lock _compileLock = new();

    public void Validate(JsonNode? node, JsonNode? old, JsonObject schema, string path, List<AdmissionCause> causes)
    {
        if (node is null)
        {
            return;
        }

        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, value) in obj)
                {
                    if (schema.ChildSchema(name) is { } childSchema)
                    {
                        Validate(value, (old as JsonObject)?[name], childSchema, FieldPath.Child(path, name), causes);
                    }
                }

                break;
            case JsonArray array when schema.Items() is { } items:
                // Array items are not correlated with old items (only map-lists are, upstream): no oldSelf inside.
                for (var i = 0; i < array.Count; i++)
                {
                    Validate(array[i], null, items, FieldPath.Index(path, i), causes);
                }

                break;
        }

        if (schema["x-kubernetes-validations"] is JsonArray rules)
        {
            foreach (var rule in rules.OfType<JsonObject>())
            {
                Evaluate(rule, node, old, schema, path, causes);
            }
        }
    }

    private void Evaluate(JsonObject rule, JsonNode node, JsonNode? old, JsonObject schema, string path, List<AdmissionCause> causes)
    {
        var expression = rule.String("rule");
        if (expression is null)
        {
            return;
        }

        var isTransition = OldSelf().IsMatch(expression);
        if (isTransition && old is null)
        {
            return;
        }

        var schemaType = schema.Type() ?? "object";
        var field = WithFieldPath(path, rule.String("fieldPath"));
        var variables = new Dictionary<string, object?>
        {
            ["self"] = CelValues.From(node, schema),
            ["oldSelf"] = isTransition ? CelValues.From(old, schema) : null,
        };

        var result = Run(expression, variables, out var error);
        if (error is not null)
        {
            causes.Add(FieldErrors.InvalidShown(field, schemaType, error));
            return;
        }

        if (result is true)
        {
            return;
        }

        if (result is not false)
        {
            causes.Add(FieldErrors.InvalidShown(field, schemaType, $"rule did not evaluate to a bool: {expression}"));
            return;
        }

        var message = MessageFor(rule, expression, variables);
        causes.Add(rule.String("reason") switch
        {
            "FieldValueForbidden" => FieldErrors.Forbidden(field, message),
            "FieldValueRequired" => FieldErrors.Required(field, message),
            "FieldValueDuplicate" => FieldErrors.Duplicate(field, schemaType, message),
            _ => FieldErrors.InvalidShown(field, schemaType, message),
        });
    }

    private string MessageFor(JsonObject rule, string expression, Dictionary<string, object?> variables)
    {
        if (rule.String("messageExpression") is { } messageExpression
            && Run(messageExpression, variables, out var error) is string computed && error is null && computed.Trim().Length > 0)
        {
            return computed;
        }

        return rule.String("message") is { Length: > 0 } message ? message : $"failed rule: {expression.Trim()}";
    }

    private object? Run(string expression, Dictionary<string, object?> variables, out string? error)
    {
        var compiled = _compiled.GetOrAdd(expression, e => new Lazy<CompiledRule>(() => Compile(e))).Value;
        if (compiled.Error is not null)
        {
            error = $"compilation error: {compiled.Error}";
            return null;
        }

        try
        {
            var result = compiled.Program!.Invoke(variables!);
            error = result?.GetType().Name == "CelNoSuchField" ? $"no such key in rule: {expression}" : null;
            return result;
        }
#pragma warning disable CA1031 // Any evaluation failure is a validation failure of this rule, not a server error.
        catch (Exception e)
#pragma warning restore CA1031
        {
            error = $"rule evaluation error: {e.Message}";
            return null;
        }
    }

    private CompiledRule Compile(string expression)
    {
        // CelEnvironment is not documented as thread-safe; compilation is rare and cached.
        lock (_compileLock)
        {
            try
            {
                return new CompiledRule(_environment.Compile(expression), null);
            }
#pragma warning disable CA1031 // A rule that does not compile is reported on the field, as the server would on CRD creation.
            catch (Exception e)
#pragma warning restore CA1031
            {
                return new CompiledRule(null, e.Message);
            }
        }
    }

    private static CelEnvironment CreateEnvironment()
    {
        var environment = new CelEnvironment(null, null);
        KubernetesCelLibrary.Register(environment);
        return environment;
    }

    private static string WithFieldPath(string path, string? fieldPath) =>
        string.IsNullOrEmpty(fieldPath) ? path : FieldPath.Child(path, fieldPath.TrimStart('.'));

    [GeneratedRegex(@"\boldSelf\b")]
    private static partial Regex OldSelf();

    private sealed record CompiledRule(CelProgramDelegate? Program, string? Error);
}
