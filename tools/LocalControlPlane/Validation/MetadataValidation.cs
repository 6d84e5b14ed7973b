using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CallImport.LocalControlPlane.Http;
using CallImport.LocalControlPlane.Resources;

namespace CallImport.LocalControlPlane.Validation;

/// <summary>
/// The apiserver's metadata rules (apimachinery's ValidateLabels / ValidateAnnotations): label keys are an optional
/// DNS-subdomain prefix and a name of at most 63 characters; label values at most 63 characters of
/// <c>[A-Za-z0-9._-]</c>, alphanumeric at both ends; annotations at most 256 KiB in all. Pod templates' labels too.
/// </summary>
public static partial class MetadataValidation
{
    public const int MaxLabelValueLength = 63;
    public const int MaxAnnotationsBytes = 256 * 1024;
    private const string QualifiedNameRule =
        "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
    private const string LabelValueRule =
        "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

    public static void Validate(ResourceType type, JsonObject obj)
    {
        var causes = new List<(string Reason, string Message, string Field)>();
        var metadata = obj["metadata"] as JsonObject;
        Check(metadata, "metadata", causes);
        if (obj["spec"]?["template"]?["metadata"] is JsonObject template)
            Check(template, "spec.template.metadata", causes);
        if (causes.Count > 0)
            throw ApiException.Invalid(type.Kind, type.Group, (string?)metadata?["name"] ?? "", causes);
    }

    private static void Check(JsonObject? metadata, string path, List<(string, string, string)> causes)
    {
        if (metadata?["labels"] is JsonObject labels)
        {
            foreach (var (key, node) in labels)
            {
                QualifiedName(key, $"{path}.labels", causes);
                var value = node?.GetValue<string>() ?? "";
                if (value.Length > MaxLabelValueLength)
                    causes.Add(("FieldValueInvalid", $"Invalid value: \"{value}\": must be no more than {MaxLabelValueLength} characters", $"{path}.labels"));
                else if (!LabelValue().IsMatch(value))
                    causes.Add(("FieldValueInvalid", $"Invalid value: \"{value}\": {LabelValueRule}", $"{path}.labels"));
            }
        }
        if (metadata?["annotations"] is JsonObject annotations)
        {
            long size = 0;
            foreach (var (key, node) in annotations)
            {
                QualifiedName(key.ToLowerInvariant(), $"{path}.annotations", causes);
                size += Encoding.UTF8.GetByteCount(key) + Encoding.UTF8.GetByteCount(node?.GetValue<string>() ?? "");
            }
            if (size > MaxAnnotationsBytes)
                causes.Add(("FieldValueTooLong", $"Too long: may not be more than {MaxAnnotationsBytes} bytes", $"{path}.annotations"));
        }
    }

    /// <summary>A label or annotation key: [prefix/]name, prefix a DNS subdomain (≤ 253), name ≤ 63.</summary>
    private static void QualifiedName(string key, string field, List<(string, string, string)> causes)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        var (prefix, name) = slash < 0 ? ((string?)null, key) : (key[..slash], key[(slash + 1)..]);
        if (prefix is not null && (prefix.Length is 0 or > 253 || !Subdomain().IsMatch(prefix)))
            causes.Add(("FieldValueInvalid", $"Invalid value: \"{key}\": prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character", field));
        if (name.Length == 0)
            causes.Add(("FieldValueInvalid", $"Invalid value: \"{key}\": name part must be non-empty", field));
        else if (name.Length > 63)
            causes.Add(("FieldValueInvalid", $"Invalid value: \"{key}\": name part must be no more than 63 characters", field));
        else if (!QualifiedNamePart().IsMatch(name))
            causes.Add(("FieldValueInvalid", $"Invalid value: \"{key}\": {QualifiedNameRule}", field));
    }

    [GeneratedRegex("^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$")]
    private static partial Regex QualifiedNamePart();

    [GeneratedRegex("^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$")]
    private static partial Regex LabelValue();

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex Subdomain();
}
