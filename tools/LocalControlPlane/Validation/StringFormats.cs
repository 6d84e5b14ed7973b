using System.Globalization;
using System.Text.RegularExpressions;

namespace CallImport.LocalControlPlane.Validation;

/// <summary>The OpenAPI string formats the API server checks; unknown formats pass, as there.</summary>
internal static partial class StringFormats
{
    public static bool IsValid(string format, string text) => format switch
    {
        "date-time" => Rfc3339().IsMatch(text) && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out _),
        "date" => DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _),
        "uuid" => Guid.TryParseExact(text, "D", out _),
        "byte" => IsBase64(text),
        "int32" or "int64" or "double" or "float" => true,
        _ => true,
    };

    private static bool IsBase64(string text)
    {
        var buffer = new byte[text.Length];
        return Convert.TryFromBase64String(text, buffer, out _);
    }

    // RFC 3339 date-time: a T (or t or space, as strfmt allows), optional fraction, Z or an offset.
    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$", RegexOptions.CultureInvariant)]
    private static partial Regex Rfc3339();
}
