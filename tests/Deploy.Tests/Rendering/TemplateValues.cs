using System.Globalization;
using System.Text;

namespace CallImport.Deploy.Tests.Rendering;

/// <summary>
/// Values as text/template sees Helm's: maps, lists, strings, bools, nil, and numbers — float64 when they come
/// from values (Helm reads YAML through JSON), int for literals in templates and results of <c>int</c>.
/// </summary>
internal static class TemplateValues
{
    public static bool IsTrue(object? value) => value switch
    {
        null => false,
        bool b => b,
        string s => s.Length > 0,
        long l => l != 0,
        double d => d != 0,
        IDictionary<string, object?> map => map.Count > 0,
        IList<object?> list => list.Count > 0,
        _ => true,
    };

    /// <summary>How <c>{{ value }}</c> prints (Go's %v; nil prints nothing, as Helm removes "&lt;no value&gt;").</summary>
    public static string Print(object? value) => value switch
    {
        null => "",
        string s => s,
        bool b => b ? "true" : "false",
        long l => l.ToString(CultureInfo.InvariantCulture),
        double d => FormatFloat(d),
        IDictionary<string, object?> map => "map[" + string.Join(' ', map.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => $"{e.Key}:{Print(e.Value)}")) + "]",
        IList<object?> list => "[" + string.Join(' ', list.Select(Print)) + "]",
        _ => value.ToString() ?? "",
    };

    /// <summary>Sprig's strval: like Print, but nil is "&lt;nil&gt;" (Go's %v of nil).</summary>
    public static string Text(object? value) => value is null ? "<nil>" : Print(value);

    /// <summary>Go's %v of a float64: shortest digits, exponent form below 1e-4 or from 1e+06 on (Helm's famous 1e+06).</summary>
    public static string FormatFloat(double d)
    {
        if (d == 0)
            return "0";
        var exponent = (int)Math.Floor(Math.Log10(Math.Abs(d)));
        if (exponent is >= -4 and < 6)
            return d.ToString("R", CultureInfo.InvariantCulture);
        var mantissa = (d / Math.Pow(10, exponent)).ToString("R", CultureInfo.InvariantCulture);
        if (mantissa.StartsWith("10", StringComparison.Ordinal) && !mantissa.Contains('.', StringComparison.Ordinal))
            (mantissa, exponent) = ("1", exponent + 1);
        return $"{mantissa}e{(exponent < 0 ? '-' : '+')}{Math.Abs(exponent):00}";
    }

    /// <summary>Go's %q: a double-quoted string with Go escapes.</summary>
    public static string Quote(string s)
    {
        var text = new StringBuilder("\"");
        foreach (var c in s)
        {
            text.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\t' => "\\t",
                '\r' => "\\r",
                _ when c < ' ' => $"\\x{(int)c:x2}",
                _ => c.ToString(),
            });
        }
        return text.Append('"').ToString();
    }

    public static string KindOf(object? value) => value switch
    {
        null => "invalid",
        string => "string",
        bool => "bool",
        long => "int64",
        double => "float64",
        IDictionary<string, object?> => "map",
        IList<object?> => "slice",
        _ => value.GetType().Name,
    };

    /// <summary>Plain .NET data (from YamlDotNet or JSON) as template values: numbers from values are float64.</summary>
    public static object? FromData(object? data) => data switch
    {
        null => null,
        string or bool or double => data,
        byte or sbyte or short or ushort or int or uint or long or ulong or float or decimal => Convert.ToDouble(data, CultureInfo.InvariantCulture),
        IDictionary<object, object?> map => map.ToDictionary(e => Convert.ToString(e.Key, CultureInfo.InvariantCulture)!, e => FromData(e.Value), StringComparer.Ordinal),
        IDictionary<string, object?> map => map.ToDictionary(e => e.Key, e => FromData(e.Value), StringComparer.Ordinal),
        System.Collections.IEnumerable list => list.Cast<object?>().Select(FromData).ToList(),
        _ => data.ToString(),
    };
}
