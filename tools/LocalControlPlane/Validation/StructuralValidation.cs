using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CallImport.LocalControlPlane.Resources;

namespace CallImport.LocalControlPlane.Validation;

/// <summary>
/// OpenAPI v3 checks of one value against its schema (required, type, enum, format, pattern, lengths,
/// bounds, item and property counts), worded like kube-openapi's messages as the apiextensions server maps them.
/// </summary>
internal static class StructuralValidation
{
    public static void Validate(JsonNode? node, JsonObject schema, string path, List<AdmissionCause> causes)
    {
        if (node is null)
        {
            if (!schema.Flag("nullable") && schema.Type() is { } expected)
            {
                causes.Add(FieldErrors.TypeInvalid(path, "null", $"{path} in body must be of type {expected}: \"null\""));
            }

            return;
        }

        if (!CheckType(node, schema, path, causes))
        {
            return;
        }

        CheckEnum(node, schema, path, causes);
        switch (node)
        {
            case JsonObject obj:
                ValidateObject(obj, schema, path, causes);
                break;
            case JsonArray array:
                ValidateArray(array, schema, path, causes);
                break;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                ValidateString(value.GetValue<string>(), value, schema, path, causes);
                break;
            case JsonValue value when value.GetValueKind() == JsonValueKind.Number:
                ValidateNumber(JsonKinds.ToDouble(value), value, schema, path, causes);
                break;
        }
    }

    /// <summary>Validates an object's properties; the root skips apiVersion, kind and metadata (the server's own).</summary>
    public static void ValidateObject(JsonObject obj, JsonObject schema, string path, List<AdmissionCause> causes, bool skipEnvelope = false)
    {
        if (schema["required"] is JsonArray required)
        {
            foreach (var name in required.Select(r => r?.GetValue<string>()).OfType<string>())
            {
                if (!obj.ContainsKey(name))
                {
                    causes.Add(FieldErrors.Required(FieldPath.Child(path, name)));
                }
            }
        }

        if (schema.Count("minProperties") is { } minProperties && obj.Count < minProperties)
        {
            causes.Add(FieldErrors.Invalid(path, JsonValue.Create(obj.Count), $"{InBody(path)} should have at least {minProperties} properties"));
        }

        if (schema.Count("maxProperties") is { } maxProperties && obj.Count > maxProperties)
        {
            causes.Add(FieldErrors.TooMany(path, obj.Count, maxProperties));
        }

        foreach (var (name, value) in obj)
        {
            if (skipEnvelope && name is "apiVersion" or "kind" or "metadata")
            {
                continue;
            }

            if (schema.ChildSchema(name) is { } childSchema)
            {
                Validate(value, childSchema, FieldPath.Child(path, name), causes);
            }
        }
    }

    private static bool CheckType(JsonNode node, JsonObject schema, string path, List<AdmissionCause> causes)
    {
        if (schema.IsIntOrString())
        {
            var kind = JsonKinds.TypeOf(node);
            if (kind is "integer" or "string")
            {
                return true;
            }

            causes.Add(FieldErrors.TypeInvalid(path, kind, $"{InBody(path)} must be of type integer-or-string: \"{kind}\""));
            return false;
        }

        if (schema.Type() is not { } expected || JsonKinds.Matches(expected, node))
        {
            return true;
        }

        var actual = JsonKinds.TypeOf(node);
        causes.Add(FieldErrors.TypeInvalid(path, actual, $"{InBody(path)} must be of type {expected}: \"{actual}\""));
        return false;
    }

    private static void CheckEnum(JsonNode node, JsonObject schema, string path, List<AdmissionCause> causes)
    {
        if (schema["enum"] is not JsonArray allowed || allowed.Any(a => JsonNode.DeepEquals(a, node)))
        {
            return;
        }

        var supported = allowed.Select(a => a is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : a?.ToJsonString() ?? "null");
        causes.Add(FieldErrors.NotSupported(path, node, supported));
    }

    private static void ValidateArray(JsonArray array, JsonObject schema, string path, List<AdmissionCause> causes)
    {
        if (schema.Count("minItems") is { } minItems && array.Count < minItems)
        {
            causes.Add(FieldErrors.Invalid(path, JsonValue.Create(array.Count), $"{InBody(path)} should have at least {minItems} items"));
        }

        if (schema.Count("maxItems") is { } maxItems && array.Count > maxItems)
        {
            causes.Add(FieldErrors.TooMany(path, array.Count, maxItems));
        }

        if (schema.Items() is { } items)
        {
            for (var i = 0; i < array.Count; i++)
            {
                Validate(array[i], items, FieldPath.Index(path, i), causes);
            }
        }
    }

    private static void ValidateString(string text, JsonNode node, JsonObject schema, string path, List<AdmissionCause> causes)
    {
        var length = text.EnumerateRunes().Count();
        if (schema.Count("maxLength") is { } maxLength && length > maxLength)
        {
            causes.Add(FieldErrors.TooLong(path, maxLength));
        }

        if (schema.Count("minLength") is { } minLength && length < minLength)
        {
            causes.Add(FieldErrors.Invalid(path, node, $"{InBody(path)} should be at least {minLength} chars long"));
        }

        if (schema.String("pattern") is { } pattern && !Regex.IsMatch(text, pattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)))
        {
            causes.Add(FieldErrors.Invalid(path, node, $"{InBody(path)} should match '{pattern}'"));
        }

        if (schema.String("format") is { } format && !StringFormats.IsValid(format, text))
        {
            causes.Add(FieldErrors.TypeInvalid(path, text, $"{InBody(path)} must be of type {format}: {FieldErrors.Quote(text)}"));
        }
    }

    private static void ValidateNumber(double number, JsonNode node, JsonObject schema, string path, List<AdmissionCause> causes)
    {
        if (schema.Number("minimum") is { } minimum)
        {
            var exclusive = schema.Flag("exclusiveMinimum");
            if (exclusive ? number <= minimum : number < minimum)
            {
                var bound = exclusive ? "greater than" : "greater than or equal to";
                causes.Add(FieldErrors.Invalid(path, node, $"{InBody(path)} should be {bound} {FieldErrors.FormatNumber(minimum)}"));
            }
        }

        if (schema.Number("maximum") is { } maximum)
        {
            var exclusive = schema.Flag("exclusiveMaximum");
            if (exclusive ? number >= maximum : number > maximum)
            {
                var bound = exclusive ? "less than" : "less than or equal to";
                causes.Add(FieldErrors.Invalid(path, node, $"{InBody(path)} should be {bound} {FieldErrors.FormatNumber(maximum)}"));
            }
        }

        if (schema.Number("multipleOf") is { } factor && factor > 0 && Math.Abs(Math.IEEERemainder(number, factor)) > 1e-9)
        {
            causes.Add(FieldErrors.Invalid(path, node, $"{InBody(path)} should be a multiple of {FieldErrors.FormatNumber(factor)}"));
        }
    }

    private static string InBody(string path) => string.Create(CultureInfo.InvariantCulture, $"{path} in body");
}
