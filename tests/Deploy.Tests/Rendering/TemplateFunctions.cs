using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using static CallImport.Deploy.Tests.Rendering.TemplateValues;

namespace CallImport.Deploy.Tests.Rendering;

/// <summary>
/// The functions of text/template and Sprig that charts use, with their Go semantics where a chart can trip on
/// them: <c>eq</c> and <c>lt</c> refuse to compare a float64 (a number from values) with an int, <c>required</c>
/// and <c>fail</c> stop the render. <c>include</c>, <c>and</c> and <c>or</c> live in the evaluator.
/// </summary>
internal static class TemplateFunctions
{
    public static readonly IReadOnlyDictionary<string, Func<object?[], object?>> All = new Dictionary<string, Func<object?[], object?>>(StringComparer.Ordinal)
    {
        ["not"] = a => !IsTrue(Single(a, "not")),
        ["eq"] = a => Equal(a),
        ["ne"] = a => !Equal(a),
        ["lt"] = a => Compare(a, "lt") < 0,
        ["le"] = a => Compare(a, "le") <= 0,
        ["gt"] = a => Compare(a, "gt") > 0,
        ["ge"] = a => Compare(a, "ge") >= 0,
        ["len"] = a => (long)(Single(a, "len") switch
        {
            string s => s.Length,
            IList<object?> l => l.Count,
            IDictionary<string, object?> m => m.Count,
            var v => throw new TemplateException($"len of {KindOf(v)}"),
        }),
        ["print"] = a => string.Concat(a.Select(Print)),
        ["printf"] = a => Printf(Str(a[0]), a[1..]),
        ["default"] = a => a.Length < 2 || Empty(a[1]) ? a[0] : a[1],
        ["empty"] = a => Empty(Single(a, "empty")),
        ["required"] = a => a.Length == 2 && !(a[1] is null || a[1] is string { Length: 0 }) ? a[1] : throw new TemplateException(Str(a[0])),
        ["fail"] = a => throw new TemplateException(Str(a[0])),
        ["ternary"] = a => IsTrue(a[2]) ? a[0] : a[1],
        ["quote"] = a => string.Join(' ', a.Where(v => v is not null).Select(v => Quote(Text(v)))),
        ["squote"] = a => string.Join(' ', a.Where(v => v is not null).Select(v => $"'{Text(v)}'")),
        ["toString"] = a => Text(Single(a, "toString")),
        ["lower"] = a => Str(a[0]).ToLowerInvariant(),
        ["upper"] = a => Str(a[0]).ToUpperInvariant(),
        ["trim"] = a => Str(a[0]).Trim(),
        ["trunc"] = a => Truncate(Str(a[1]), ToInt(a[0])),
        ["trimSuffix"] = a => Str(a[1]).EndsWith(Str(a[0]), StringComparison.Ordinal) ? Str(a[1])[..^Str(a[0]).Length] : Str(a[1]),
        ["trimPrefix"] = a => Str(a[1]).StartsWith(Str(a[0]), StringComparison.Ordinal) ? Str(a[1])[Str(a[0]).Length..] : Str(a[1]),
        ["replace"] = a => Str(a[2]).Replace(Str(a[0]), Str(a[1]), StringComparison.Ordinal),
        ["contains"] = a => Str(a[1]).Contains(Str(a[0]), StringComparison.Ordinal),
        ["hasPrefix"] = a => Str(a[1]).StartsWith(Str(a[0]), StringComparison.Ordinal),
        ["hasSuffix"] = a => Str(a[1]).EndsWith(Str(a[0]), StringComparison.Ordinal),
        ["regexMatch"] = a => Regex.IsMatch(Str(a[1]), Str(a[0])),
        ["indent"] = a => Indent(ToInt(a[0]), Str(a[1])),
        ["nindent"] = a => "\n" + Indent(ToInt(a[0]), Str(a[1])),
        ["int"] = a => ToInt(Single(a, "int")),
        ["int64"] = a => ToInt(Single(a, "int64")),
        ["add"] = a => a.Sum(ToInt),
        ["list"] = a => a.ToList(),
        ["dict"] = a => Enumerable.Range(0, a.Length / 2).ToDictionary(i => Str(a[2 * i]), i => a[2 * i + 1], StringComparer.Ordinal),
        ["hasKey"] = a => Map(a[0], "hasKey").ContainsKey(Str(a[1])),
        ["keys"] = a => a.SelectMany(m => Map(m, "keys").Keys).Cast<object?>().ToList(),
        ["sortAlpha"] = a => List(a[0], "sortAlpha").Select(Text).Order(StringComparer.Ordinal).Cast<object?>().ToList(),
        ["uniq"] = a => List(a[0], "uniq").Distinct().ToList(),
        ["concat"] = a => a.SelectMany(l => List(l, "concat")).ToList(),
        ["first"] = a => List(a[0], "first") is [var head, ..] ? head : null,
        ["join"] = a => string.Join(Str(a[0]), List(a[1], "join").Select(Text)),
        ["kindIs"] = a => Str(a[0]) == KindOf(a[1]) || (Str(a[0]) == "float64" && a[1] is double),
        ["toYaml"] = a => YamlText.Of(Single(a, "toYaml")),
        ["toJson"] = a => JsonSerializer.Serialize(ToData(Single(a, "toJson"))),
        ["b64enc"] = a => Convert.ToBase64String(Encoding.UTF8.GetBytes(Str(a[0]))),
        ["sha256sum"] = a => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Str(a[0])))),
    };

    public static bool Empty(object? value) => !IsTrue(value);

    public static string Str(object? value) => value is string s ? s : Text(value);

    public static long ToInt(object? value) => value switch
    {
        long l => l,
        double d => (long)d,
        bool b => b ? 1 : 0,
        string s when long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) => parsed,
        _ => 0,
    };

    /// <summary>Plain data for serialisers: whole float64s as integers (as Go's JSON encoder writes them).</summary>
    public static object? ToData(object? value) => value switch
    {
        double d when d == Math.Floor(d) && Math.Abs(d) < 1e15 => (long)d,
        IDictionary<string, object?> map => new SortedDictionary<string, object?>(map.ToDictionary(e => e.Key, e => ToData(e.Value)), StringComparer.Ordinal),
        IList<object?> list => list.Select(ToData).ToList(),
        _ => value,
    };

    private static object? Single(object?[] args, string name) =>
        args.Length == 1 ? args[0] : throw new TemplateException($"wrong number of args for {name}: want 1 got {args.Length}");

    private static IDictionary<string, object?> Map(object? value, string name) =>
        value as IDictionary<string, object?> ?? throw new TemplateException($"{name}: expected a map, got {KindOf(value)}");

    private static IList<object?> List(object? value, string name) =>
        value as IList<object?> ?? throw new TemplateException($"{name}: expected a list, got {KindOf(value)}");

    /// <summary>Go's eq: true when the first equals any other; values of different kinds cannot be compared (nil can).</summary>
    private static bool Equal(object?[] args)
    {
        if (args.Length < 2)
            throw new TemplateException("missing argument for comparison");
        foreach (var other in args[1..])
        {
            if (args[0] is null || other is null)
            {
                if (args[0] is null && other is null) return true;
                continue;
            }
            if (KindOf(args[0]) != KindOf(other))
                throw new TemplateException($"incompatible types for comparison: {KindOf(args[0])} and {KindOf(other)}");
            if (args[0] is IDictionary<string, object?> or IList<object?>)
                throw new TemplateException($"uncomparable type {KindOf(args[0])}");
            if (Equals(args[0], other)) return true;
        }
        return false;
    }

    private static int Compare(object?[] args, string name)
    {
        if (args.Length != 2)
            throw new TemplateException($"{name} takes two arguments");
        return (args[0], args[1]) switch
        {
            (long a, long b) => a.CompareTo(b),
            (double a, double b) => a.CompareTo(b),
            (string a, string b) => string.CompareOrdinal(a, b),
            var (a, b) => throw new TemplateException($"{name}: incompatible types for comparison: {KindOf(a)} and {KindOf(b)}"),
        };
    }

    private static string Truncate(string s, long length) => length switch
    {
        < 0 when -length < s.Length => s[(int)(s.Length + length)..],
        >= 0 when length < s.Length => s[..(int)length],
        _ => s,
    };

    private static string Indent(long spaces, string s)
    {
        var pad = new string(' ', (int)spaces);
        return pad + s.Replace("\n", "\n" + pad, StringComparison.Ordinal);
    }

    /// <summary>Go's Sprintf for the verbs charts use: %s %v %d %q %%.</summary>
    private static string Printf(string format, object?[] args)
    {
        var text = new StringBuilder();
        var next = 0;
        for (var i = 0; i < format.Length; i++)
        {
            if (format[i] != '%' || i + 1 >= format.Length)
            {
                text.Append(format[i]);
                continue;
            }
            var verb = format[++i];
            if (verb == '%')
            {
                text.Append('%');
                continue;
            }
            var arg = next < args.Length ? args[next++] : throw new TemplateException($"printf \"{format}\": missing argument");
            text.Append(verb switch
            {
                's' or 'v' => Text(arg),
                'd' => arg is long or double ? ToInt(arg).ToString(CultureInfo.InvariantCulture) : $"%!d({KindOf(arg)}={Text(arg)})",
                'q' => Quote(Text(arg)),
                _ => throw new TemplateException($"printf verb %{verb} is not supported by this renderer"),
            });
        }
        return text.ToString();
    }
}
