using System.Security.Cryptography;
using System.Text;

namespace CallImport.Operator.Runs;

/// <summary>
/// A label value from a name that may be longer than Kubernetes allows in a label (63 characters): short names
/// stay as they are; longer ones keep a prefix and a hash of the whole name, so two long names still differ.
/// </summary>
public static class LabelValue
{
    public const int MaxLength = 63;
    private const int HashLength = 10;

    public static string For(string name)
    {
        if (name.Length <= MaxLength)
            return name;
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(name)))[..HashLength];
        // A label value must begin and end with an alphanumeric character.
        var prefix = name[..(MaxLength - HashLength - 1)].TrimEnd('-', '.', '_');
        return $"{prefix}-{hash}";
    }
}
