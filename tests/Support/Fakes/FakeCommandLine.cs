using System.Globalization;

namespace CallImport.Testing.Fakes;

/// <summary>
/// The command line of a standalone fake (<c>CallImport.Testing &lt;vendor&gt;-fake …</c>): <c>--option value</c> pairs
/// and bare flags; an unknown option is refused by name, a bad value with what the option wants. <see cref="RunAsync"/>
/// does what every fake command does around its own start-up: usage and exit code 2 on a bad line, then serve until
/// Ctrl-C or SIGTERM. A fake's command is its usage, a parse from this class to its options, and what it prints.
/// </summary>
public sealed class FakeCommandLine
{
    private readonly Dictionary<string, string> _values;

    private FakeCommandLine(Dictionary<string, string> values) => _values = values;

    /// <param name="args">The arguments after the command's name.</param>
    /// <param name="options">Options that take a value.</param>
    /// <param name="flags">Options that stand alone (true when present).</param>
    public static FakeCommandLine Parse(string[] args, IReadOnlyCollection<string> options, IReadOnlyCollection<string>? flags = null)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            if (flags?.Contains(args[i]) == true)
            {
                values[args[i]] = "true";
                continue;
            }
            if (!options.Contains(args[i])) throw new FormatException($"Unknown option '{args[i]}'.");
            values[args[i]] = i + 1 < args.Length ? args[++i] : throw new FormatException($"'{args[i]}' needs a value.");
        }
        return new FakeCommandLine(values);
    }

    /// <summary>Parses with <paramref name="parse"/>, then runs <paramref name="serve"/> (given the task that completes on Ctrl-C/SIGTERM); 2 on a bad command line.</summary>
    public static async Task<int> RunAsync<TOptions>(string[] args, string usage, Func<string[], TOptions> parse, Func<TOptions, Task, Task> serve)
    {
        TOptions options;
        try
        {
            options = parse(args);
        }
        catch (FormatException e)
        {
            await Console.Error.WriteLineAsync($"{e.Message}\nUsage: {usage}");
            return 2;
        }

        // Listening for Ctrl-C before the fake starts: an early one still stops it cleanly.
        using var stop = new StopSignal();
        await serve(options, stop.Stopped);
        return 0;
    }

    public bool Flag(string option) => _values.ContainsKey(option);

    public string? Text(string option) => _values.GetValueOrDefault(option);

    public string Text(string option, string defaultValue) => _values.GetValueOrDefault(option, defaultValue);

    public string Required(string option) => Text(option) ?? throw new FormatException($"{option} is required.");

    public int Number(string option, int defaultValue) => WholeNumber(Text(option, defaultValue.ToString(CultureInfo.InvariantCulture)));

    /// <summary>A share from 0 to 1.</summary>
    public double Fraction(string option, double defaultValue = 0) =>
        Text(option) is not { } value ? defaultValue
        : double.TryParse(value, CultureInfo.InvariantCulture, out var f) && f is >= 0 and <= 1 ? f
        : throw new FormatException($"{option} wants a number from 0 to 1.");

    /// <summary><c>--from</c> and <c>--to</c> (dates or RFC 3339 times, UTC unless said), <c>--to</c> after <c>--from</c>.</summary>
    public (DateTimeOffset From, DateTimeOffset To) Range(string defaultFrom = "2026-01-01", string defaultTo = "2026-02-01")
    {
        var from = Time(Text("--from", defaultFrom));
        var to = Time(Text("--to", defaultTo));
        return to > from ? (from, to) : throw new FormatException("--to must be after --from.");
    }

    /// <summary>A named choice among <paramref name="choices"/>.</summary>
    public T Choice<T>(string option, string defaultValue, IReadOnlyDictionary<string, T> choices) =>
        choices.TryGetValue(Text(option, defaultValue), out var choice)
            ? choice
            : throw new FormatException($"{option} wants {string.Join(" or ", choices.Keys)}, not '{Text(option, defaultValue)}'.");

    /// <summary>An enum value by name, any case.</summary>
    public T Enum<T>(string option, string defaultValue) where T : struct, System.Enum =>
        System.Enum.TryParse<T>(Text(option, defaultValue), ignoreCase: true, out var value)
            ? value
            : throw new FormatException($"{option} wants one of {string.Join(", ", System.Enum.GetNames<T>().Select(n => n.ToLowerInvariant()))}.");

    public static int WholeNumber(string value) =>
        int.TryParse(value, CultureInfo.InvariantCulture, out var n) && n >= 0 ? n : throw new FormatException($"'{value}' is not a whole number.");

    private static DateTimeOffset Time(string value) =>
        DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? time
            : throw new FormatException($"'{value}' is not a date (e.g. 2026-01-01 or 2026-01-01T00:00:00Z).");
}
