using System.Globalization;

namespace CallImport.Testing.Fakes.RingCentral;

/// <summary>
/// <c>ringcentral-fake --port 5098 --calls 200 [--seed 1] [--from 2026-01-01] [--to 2026-02-01]
/// [--limits documented|none] [--token-lifetime 3600] [--server-error-fraction 0.05]</c>: the fake in the foreground until Ctrl-C.
/// </summary>
public static class RingCentralFakeCommand
{
    public const string Usage =
        "ringcentral-fake --port <port> --calls <n> [--seed <n>] [--from <date>] [--to <date>] [--limits documented|none] [--token-lifetime <seconds>] [--server-error-fraction <0..1>]";

    public static async Task<int> RunAsync(string[] args)
    {
        RingCentralFakeOptions options;
        double serverErrors;
        try
        {
            (options, serverErrors) = Parse(args);
        }
        catch (FormatException e)
        {
            await Console.Error.WriteLineAsync($"{e.Message}\nUsage: {Usage}");
            return 2;
        }

        using var stop = new StopSignal();
        await using var fake = await RingCentralFake.StartAsync(options);
        fake.Faults.ServerErrorFraction(serverErrors);
        Console.WriteLine($"RingCentralFake listening on {fake.BaseUrl}");
        Console.WriteLine($"Credentials: {fake.CredentialsJson()}");
        Console.WriteLine(
            $"{fake.Calls.Count} calls from {options.CallsFrom:yyyy-MM-dd} to {options.CallsTo:yyyy-MM-dd}, usage plan {(options.UsagePlan is null ? "none" : "documented (Heavy 10/min, 60 s penalty)")}. Ctrl-C stops.");
        await stop.Stopped;
        Console.WriteLine($"RingCentralFake served {fake.Traffic.TotalRequests} requests ({fake.Traffic.InGroup(RingCentralFakeUsagePlan.Heavy)} Heavy).");
        return 0;
    }

    private static (RingCentralFakeOptions, double) Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i += 2)
            values[args[i]] = i + 1 < args.Length ? args[i + 1] : throw new FormatException($"'{args[i]}' needs a value.");
        string[] known = ["--port", "--calls", "--seed", "--from", "--to", "--limits", "--token-lifetime", "--server-error-fraction"];
        if (values.Keys.FirstOrDefault(k => !known.Contains(k)) is { } unknown) throw new FormatException($"Unknown option '{unknown}'.");

        var options = new RingCentralFakeOptions
        {
            Port = Int(values.GetValueOrDefault("--port", "5098")),
            CallCount = Int(values.GetValueOrDefault("--calls", "200")),
            Seed = Int(values.GetValueOrDefault("--seed", "1")),
            CallsFrom = Time(values.GetValueOrDefault("--from", "2026-01-01")),
            CallsTo = Time(values.GetValueOrDefault("--to", "2026-02-01")),
            UsagePlan = values.GetValueOrDefault("--limits", "documented") switch
            {
                "documented" => RingCentralFakeUsagePlan.Documented,
                "none" => null,
                var other => throw new FormatException($"--limits wants documented or none, not '{other}'."),
            },
            AccessTokenLifetime = TimeSpan.FromSeconds(Int(values.GetValueOrDefault("--token-lifetime", "3600"))),
        };
        if (options.CallsTo <= options.CallsFrom) throw new FormatException("--to must be after --from.");
        var fraction = values.GetValueOrDefault("--server-error-fraction", "0");
        return double.TryParse(fraction, CultureInfo.InvariantCulture, out var f) && f is >= 0 and <= 1
            ? (options, f)
            : throw new FormatException("--server-error-fraction wants a number from 0 to 1.");
    }

    private static int Int(string value) =>
        int.TryParse(value, CultureInfo.InvariantCulture, out var n) && n >= 0 ? n : throw new FormatException($"'{value}' is not a whole number.");

    private static DateTimeOffset Time(string value) =>
        DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? time
            : throw new FormatException($"'{value}' is not a date (e.g. 2026-01-01 or 2026-01-01T00:00:00Z).");
}
