using System.Globalization;

namespace CallImport.Testing.Fakes.Gong;

/// <summary>
/// <c>gong-fake --port 5097 --calls 500 [--access-key K --access-key-secret S] [--seed 1] [--from 2025-01-01]
/// [--to 2026-01-01] [--no-limits] [--server-error-fraction 0.05] [--malformed 3]</c>: the fake in the foreground until Ctrl-C.
/// </summary>
public static class GongFakeCommand
{
    public const string Usage =
        "gong-fake --port <port> --calls <n> [--access-key <key>] [--access-key-secret <secret>] [--seed <n>] [--from <date>] [--to <date>] [--no-limits true] [--server-error-fraction <0..1>] [--malformed <n>]";

    public static async Task<int> RunAsync(string[] args)
    {
        GongFakeOptions options;
        double serverErrors;
        int malformed;
        try
        {
            (options, serverErrors, malformed) = Parse(args);
        }
        catch (FormatException e)
        {
            await Console.Error.WriteLineAsync($"{e.Message}\nUsage: {Usage}");
            return 2;
        }

        using var stop = new StopSignal();

        await using var fake = await GongFake.StartAsync(options);
        fake.Faults.ServerErrorFraction(serverErrors);
        fake.Faults.MalformedCalls([.. fake.Calls.Where((_, i) => i % 7 == 3).Take(malformed).Select(c => c.Id)]);
        Console.WriteLine($"GongFake listening on {fake.BaseUrl} (accessKey {fake.AccessKey}; the secret is in the options you passed)");
        Console.WriteLine(
            $"{fake.Calls.Count} calls ({fake.Calls.Count(c => c.IsPrivate)} private) from {options.CallsFrom:yyyy-MM-dd} to {options.CallsTo:yyyy-MM-dd}; " +
            $"limits {(options.RateLimit is { } l ? $"{l.PerSecond}/s, {l.PerDay}/day" : "off")}. Ctrl-C stops.");
        await stop.Stopped;
        Console.WriteLine($"GongFake served {fake.Traffic.ApiRequests} API requests, at most {fake.Traffic.MaxApiRequestsIn(TimeSpan.FromSeconds(1))} in one second.");
        return 0;
    }

    private static (GongFakeOptions, double, int) Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i += 2)
            values[args[i]] = i + 1 < args.Length ? args[i + 1] : throw new FormatException($"'{args[i]}' needs a value.");
        string[] known = ["--port", "--calls", "--access-key", "--access-key-secret", "--seed", "--from", "--to", "--no-limits", "--server-error-fraction", "--malformed"];
        if (values.Keys.FirstOrDefault(k => !known.Contains(k)) is { } unknown) throw new FormatException($"Unknown option '{unknown}'.");

        var defaults = new GongFakeOptions();
        var options = new GongFakeOptions
        {
            Port = Int(values.GetValueOrDefault("--port", "5097")),
            CallCount = Int(values.GetValueOrDefault("--calls", "200")),
            AccessKey = values.GetValueOrDefault("--access-key", defaults.AccessKey),
            AccessKeySecret = values.GetValueOrDefault("--access-key-secret", defaults.AccessKeySecret),
            Seed = Int(values.GetValueOrDefault("--seed", "1")),
            CallsFrom = Time(values.GetValueOrDefault("--from", "2025-01-01")),
            CallsTo = Time(values.GetValueOrDefault("--to", "2026-01-01")),
            RateLimit = values.GetValueOrDefault("--no-limits") == "true" ? null : GongFakeRateLimit.Documented,
        };
        if (options.CallsTo <= options.CallsFrom) throw new FormatException("--to must be after --from.");
        var fraction = values.GetValueOrDefault("--server-error-fraction", "0");
        if (!double.TryParse(fraction, CultureInfo.InvariantCulture, out var f) || f is < 0 or > 1)
            throw new FormatException("--server-error-fraction wants a number from 0 to 1.");
        return (options, f, Int(values.GetValueOrDefault("--malformed", "0")));
    }

    private static int Int(string value) =>
        int.TryParse(value, CultureInfo.InvariantCulture, out var n) && n >= 0 ? n : throw new FormatException($"'{value}' is not a whole number.");

    private static DateTimeOffset Time(string value) =>
        DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? time
            : throw new FormatException($"'{value}' is not a date (e.g. 2025-01-01 or 2025-01-01T00:00:00Z).");
}
