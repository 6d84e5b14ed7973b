using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using CallImport.LocalControlPlane.Resources;

namespace CallImport.LocalControlPlane.Validation;

/// <summary>
/// Builds causes worded exactly like k8s.io/apimachinery field errors (ErrorBody), because kubectl prints
/// them verbatim and users (and tests) match on the text.
/// </summary>
internal static class FieldErrors
{
    public static AdmissionCause Required(string field, string detail = "") =>
        new("FieldValueRequired", WithDetail("Required value", detail), field);

    public static AdmissionCause NotSupported(string field, JsonNode? value, IEnumerable<string> supported) =>
        new("FieldValueNotSupported",
            $"Unsupported value: {Format(value)}: supported values: {string.Join(", ", supported.Select(Quote))}", field);

    public static AdmissionCause TypeInvalid(string field, string shownValue, string detail) =>
        new("FieldValueTypeInvalid", $"Invalid value: {Quote(shownValue)}: {detail}", field);

    public static AdmissionCause Invalid(string field, JsonNode? value, string detail) =>
        new("FieldValueInvalid", $"Invalid value: {Format(value)}: {detail}", field);

    public static AdmissionCause InvalidShown(string field, string shownValue, string detail) =>
        new("FieldValueInvalid", $"Invalid value: {Quote(shownValue)}: {detail}", field);

    public static AdmissionCause Forbidden(string field, string detail) =>
        new("FieldValueForbidden", WithDetail("Forbidden", detail), field);

    public static AdmissionCause Duplicate(string field, string shownValue, string detail) =>
        new("FieldValueDuplicate", $"Duplicate value: {Quote(shownValue)}: {detail}", field);

    // TooLong never echoes the value (apimachinery replaces it with "<value omitted>").
    public static AdmissionCause TooLong(string field, long maxLength) =>
        new("FieldValueTooLong", $"Too long: may not be more than {maxLength} {(maxLength == 1 ? "byte" : "bytes")}", field);

    public static AdmissionCause TooMany(string field, int actual, long max) =>
        new("FieldValueTooMany", $"Too many: {actual}: must have at most {max} {(max == 1 ? "item" : "items")}", field);

    /// <summary>Go's %q for strings, %v for numbers and booleans, JSON otherwise.</summary>
    public static string Format(JsonNode? value) => value switch
    {
        null => "\"null\"",
        JsonValue v when v.GetValueKind() == JsonValueKind.String => Quote(v.GetValue<string>()),
        JsonValue v when v.GetValueKind() == JsonValueKind.Number => FormatNumber(v),
        JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False => v.GetValue<bool>() ? "true" : "false",
        _ => value.ToJsonString(),
    };

    public static string FormatNumber(double number) =>
        number == Math.Floor(number) && Math.Abs(number) < 1e21
            ? ((long)number).ToString(CultureInfo.InvariantCulture)
            : number.ToString("R", CultureInfo.InvariantCulture);

    public static string Quote(string text) => JsonSerializer.Serialize(text, QuoteOptions);

    private static string FormatNumber(JsonValue value) =>
        JsonKinds.IsInteger(value) ? value.ToJsonString() : FormatNumber(JsonKinds.ToDouble(value));

    private static string WithDetail(string head, string detail) => detail.Length == 0 ? head : $"{head}: {detail}";

    private static readonly JsonSerializerOptions QuoteOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
