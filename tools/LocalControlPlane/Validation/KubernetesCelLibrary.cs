using System.Collections;
using System.Globalization;
using Cel;

namespace CallImport.LocalControlPlane.Validation;

/// <summary>
/// The parts of Kubernetes' CEL extension libraries (strings and lists) the Cel package lacks, so CRD rules such as
/// <c>self.split(':')[0]</c> or <c>self.lowerAscii() == self</c> evaluate as on a real API server.
/// </summary>
internal static class KubernetesCelLibrary
{
    public static void Register(CelEnvironment environment)
    {
        // The Cel package's size() yields an Int32, which its string() does not accept; messageExpressions need it.
        environment.RegisterFunction("string", [typeof(int)], a => Convert.ToString(a[0], CultureInfo.InvariantCulture));

        environment.RegisterFunction("charAt", [typeof(string), typeof(long)], a => CharAt(Text(a[0]), Index(a[1])));
        environment.RegisterFunction("indexOf", [typeof(string), typeof(string)], a => (long)Text(a[0]).IndexOf(Text(a[1]), StringComparison.Ordinal));
        environment.RegisterFunction("indexOf", [typeof(string), typeof(string), typeof(long)],
            a => (long)Text(a[0]).IndexOf(Text(a[1]), Index(a[2]), StringComparison.Ordinal));
        environment.RegisterFunction("lastIndexOf", [typeof(string), typeof(string)], a => (long)Text(a[0]).LastIndexOf(Text(a[1]), StringComparison.Ordinal));
        environment.RegisterFunction("lowerAscii", [typeof(string)], a => Ascii(Text(a[0]), char.ToLowerInvariant));
        environment.RegisterFunction("upperAscii", [typeof(string)], a => Ascii(Text(a[0]), char.ToUpperInvariant));
        environment.RegisterFunction("replace", [typeof(string), typeof(string), typeof(string)], a => Text(a[0]).Replace(Text(a[1]), Text(a[2]), StringComparison.Ordinal));
        environment.RegisterFunction("replace", [typeof(string), typeof(string), typeof(string), typeof(long)], a => Replace(Text(a[0]), Text(a[1]), Text(a[2]), (long)a[3]!));
        environment.RegisterFunction("split", [typeof(string), typeof(string)], a => Split(Text(a[0]), Text(a[1]), -1));
        environment.RegisterFunction("split", [typeof(string), typeof(string), typeof(long)], a => Split(Text(a[0]), Text(a[1]), (long)a[2]!));
        environment.RegisterFunction("substring", [typeof(string), typeof(long)], a => Text(a[0])[Index(a[1])..]);
        environment.RegisterFunction("substring", [typeof(string), typeof(long), typeof(long)], a => Text(a[0])[Index(a[1])..Index(a[2])]);
        environment.RegisterFunction("trim", [typeof(string)], a => Text(a[0]).Trim());
        environment.RegisterFunction("join", [typeof(IList)], a => string.Concat(Items(a[0]).Select(i => Convert.ToString(i, CultureInfo.InvariantCulture))));
        environment.RegisterFunction("join", [typeof(IList), typeof(string)],
            a => string.Join(Text(a[1]), Items(a[0]).Select(i => Convert.ToString(i, CultureInfo.InvariantCulture))));

        environment.RegisterFunction("isSorted", [typeof(IList)], a => Items(a[0]).Zip(Items(a[0]).Skip(1)).All(p => Comparer<object?>.Default.Compare(p.First, p.Second) <= 0));
        environment.RegisterFunction("min", [typeof(IList)], a => Items(a[0]).Min());
        environment.RegisterFunction("max", [typeof(IList)], a => Items(a[0]).Max());
        environment.RegisterFunction("sum", [typeof(IList)], a => Sum(Items(a[0])));
    }

    private static string Text(object? value) => (string)value!;

    private static int Index(object? value) => checked((int)(long)value!);

    private static List<object?> Items(object? list) => ((IList)list!).Cast<object?>().ToList();

    private static string CharAt(string text, int index) => index == text.Length ? "" : text[index].ToString();

    private static string Ascii(string text, Func<char, char> map) => string.Concat(text.Select(c => c < 128 ? map(c) : c));

    private static string Replace(string text, string find, string replacement, long limit)
    {
        if (limit < 0)
        {
            return text.Replace(find, replacement, StringComparison.Ordinal);
        }

        var result = text;
        var from = 0;
        for (var i = 0; i < limit; i++)
        {
            var at = result.IndexOf(find, from, StringComparison.Ordinal);
            if (at < 0)
            {
                break;
            }

            result = string.Concat(result.AsSpan(0, at), replacement, result.AsSpan(at + find.Length));
            from = at + replacement.Length;
        }

        return result;
    }

    private static List<object?> Split(string text, string separator, long limit) => limit switch
    {
        0 => [],
        < 0 => [.. text.Split(separator)],
        _ => [.. text.Split(separator, (int)Math.Min(limit, int.MaxValue))],
    };

    private static object Sum(List<object?> items) => items.Count > 0 && items.All(i => i is long)
        ? items.Sum(i => (long)i!)
        : items.Sum(i => Convert.ToDouble(i, CultureInfo.InvariantCulture));
}
