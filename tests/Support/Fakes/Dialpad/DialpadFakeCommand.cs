using System.Globalization;

namespace CallImport.Testing.Fakes.Dialpad;

/// <summary>
/// <c>dialpad-fake --port 5095 --calls 200 --api-key demo-key [--seed 1] [--page-size 10] [--from 2026-01-01]
/// [--to 2026-02-01] [--enforce-limits] [--server-errors 0.05] [--malformed 3]</c>: the fake in the foreground until Ctrl-C.
/// </summary>
public static class DialpadFakeCommand
{
    public const string Usage =
        "dialpad-fake --port <port> --calls <n> --api-key <key> [--seed <n>] [--page-size <n>] [--from <date>] [--to <date>] [--enforce-limits] [--server-errors <0..1>] [--malformed <n>]";

    public static async Task<int> RunAsync(string[] args)
    {
        DialpadFakeOptions options;
        try
        {
            options = Parse(args);
        }
        catch (FormatException e)
        {
            await Console.Error.WriteLineAsync($"{e.Message}\nUsage: {Usage}");
            return 2;
        }

        using var stop = new StopSignal();
        await using var fake = await DialpadFake.StartAsync(options);
        Console.WriteLine($"DialpadFake listening on {fake.BaseUrl}");
        Console.WriteLine($"{fake.Calls.Count} calls from {options.From:yyyy-MM-dd} to {options.To:yyyy-MM-dd}, page size {options.PageSize}. Ctrl-C stops.");
        await stop.Stopped;
        Console.WriteLine($"DialpadFake served {fake.Log.Count} requests, at most {fake.Log.MaxInAnyWindow(null, TimeSpan.FromMinutes(1))} in one minute.");
        return 0;
    }

    internal static DialpadFakeOptions Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--enforce-limits") { values[args[i]] = "true"; continue; }
            values[args[i]] = i + 1 < args.Length ? args[++i] : throw new FormatException($"'{args[i]}' needs a value.");
        }
        string[] known = ["--port", "--calls", "--api-key", "--seed", "--page-size", "--from", "--to", "--enforce-limits", "--server-errors", "--malformed"];
        if (values.Keys.FirstOrDefault(k => !known.Contains(k)) is { } unknown) throw new FormatException($"Unknown option '{unknown}'.");
        var options = new DialpadFakeOptions
        {
            Port = Int(values.GetValueOrDefault("--port", "5095")),
            Calls = Int(values.GetValueOrDefault("--calls", "200")),
            ApiKey = values.GetValueOrDefault("--api-key") ?? throw new FormatException("--api-key is required."),
            Seed = Int(values.GetValueOrDefault("--seed", "1")),
            PageSize = Math.Max(1, Int(values.GetValueOrDefault("--page-size", "25"))),
            From = Time(values.GetValueOrDefault("--from", "2026-01-01")),
            To = Time(values.GetValueOrDefault("--to", "2026-02-01")),
            EnforceLimits = values.ContainsKey("--enforce-limits"),
            ServerErrorFraction = Fraction(values.GetValueOrDefault("--server-errors", "0")),
            MalformedCalls = Int(values.GetValueOrDefault("--malformed", "0")),
        };
        return options.To > options.From ? options : throw new FormatException("--to must be after --from.");
    }

    private static int Int(string value) =>
        int.TryParse(value, CultureInfo.InvariantCulture, out var n) && n >= 0 ? n : throw new FormatException($"'{value}' is not a whole number.");

    private static double Fraction(string value) =>
        double.TryParse(value, CultureInfo.InvariantCulture, out var f) && f is >= 0 and <= 1 ? f : throw new FormatException("--server-errors wants a number from 0 to 1.");

    private static DateTimeOffset Time(string value) =>
        DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? time
            : throw new FormatException($"'{value}' is not a date (e.g. 2026-01-01 or 2026-01-01T00:00:00Z).");
}
