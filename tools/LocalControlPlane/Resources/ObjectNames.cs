using System.Text.RegularExpressions;
using CallImport.LocalControlPlane.Http;

namespace CallImport.LocalControlPlane.Resources;

/// <summary>The apiserver's name rules: DNS subdomains for most kinds, DNS labels for namespaces.</summary>
public static partial class ObjectNames
{
    private const string SubdomainRule =
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

    private const string LabelRule =
        "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

    public static void Validate(ResourceType type, string name)
    {
        var label = type.StorageKey == "namespaces";
        var valid = label
            ? name.Length <= 63 && Label().IsMatch(name)
            : name.Length <= 253 && Subdomain().IsMatch(name);
        if (!valid)
        {
            throw ApiException.Invalid(type.Kind, type.Group, name, "metadata.name", "FieldValueInvalid",
                $"Invalid value: \"{name}\": {(label ? LabelRule : SubdomainRule)}");
        }
    }

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex Label();

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex Subdomain();
}
