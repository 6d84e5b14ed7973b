using System.Globalization;

namespace CallImport.Testing.Fakes.Grain;

/// <summary>
/// <c>grain-fake --port 5099 --recordings 200 --api-key demo-key [--seed 1] [--page-size 10]
/// [--from 2026-01-01] [--to 2026-02-01] [--rate-limit 30/20] [--throttle-fraction 0.1]</c>: the fake in the foreground until Ctrl-C.
/// </summary>
public static class GrainFakeCommand
{
    public const string Usage =
        "grain-fake --port <port> --recordings <n> --api-key <key> [--seed <n>] [--page-size <n>] [--from <date>] [--to <date>] [--rate-limit <requests>/<seconds>] [--throttle-fraction <0..1>]";

    public static async Task<int> RunAsync(string[] args)
    {
        GrainFakeOptions options;
        double throttleFraction;
        try
        {
            (options, throttleFraction) = Parse(args);
        }
        catch (FormatException e)
        {
            await Console.Error.WriteLineAsync($"{e.Message}\nUsage: {Usage}");
            return 2;
        }

        using var stop = new StopSignal();

        await using var fake = await GrainFake.StartAsync(options);
        fake.Faults.ThrottleFraction(throttleFraction);
        Console.WriteLine($"GrainFake listening on {fake.BaseUrl}");
        Console.WriteLine(
            $"{fake.Recordings.Count} recordings from {options.RecordingsFrom:yyyy-MM-dd} to {options.RecordingsTo:yyyy-MM-dd}, page size {options.PageSize}. Ctrl-C stops.");
        await stop.Stopped;
        Console.WriteLine($"GrainFake served {fake.Traffic.TotalRequests} requests, at most {fake.Traffic.MaxRequestsPerSecond} in one second.");
        return 0;
    }

    private static (GrainFakeOptions, double) Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i += 2)
            values[args[i]] = i + 1 < args.Length ? args[i + 1] : throw new FormatException($"'{args[i]}' needs a value.");
        string[] known = ["--port", "--recordings", "--api-key", "--seed", "--page-size", "--from", "--to", "--rate-limit", "--throttle-fraction"];
        if (values.Keys.FirstOrDefault(k => !known.Contains(k)) is { } unknown) throw new FormatException($"Unknown option '{unknown}'.");

        var options = new GrainFakeOptions
        {
            Port = Int(values.GetValueOrDefault("--port", "5099")),
            RecordingCount = Int(values.GetValueOrDefault("--recordings", "200")),
            ApiKey = values.GetValueOrDefault("--api-key") ?? throw new FormatException("--api-key is required."),
            Seed = Int(values.GetValueOrDefault("--seed", "1")),
            PageSize = Int(values.GetValueOrDefault("--page-size", "10")),
            RecordingsFrom = Time(values.GetValueOrDefault("--from", "2026-01-01")),
            RecordingsTo = Time(values.GetValueOrDefault("--to", "2026-02-01")),
            RateLimit = values.TryGetValue("--rate-limit", out var limit) ? RateLimit(limit) : null,
        };
        if (options.RecordingsTo <= options.RecordingsFrom) throw new FormatException("--to must be after --from.");
        var fraction = values.GetValueOrDefault("--throttle-fraction", "0");
        return double.TryParse(fraction, CultureInfo.InvariantCulture, out var f) && f is >= 0 and <= 1
            ? (options, f)
            : throw new FormatException("--throttle-fraction wants a number from 0 to 1.");
    }

    private static int Int(string value) =>
        int.TryParse(value, CultureInfo.InvariantCulture, out var n) && n >= 0 ? n : throw new FormatException($"'{value}' is not a whole number.");

    private static DateTimeOffset Time(string value) =>
        DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? time
            : throw new FormatException($"'{value}' is not a date (e.g. 2026-01-01 or 2026-01-01T00:00:00Z).");

    private static GrainFakeRateLimit RateLimit(string value) =>
        value.Split('/') is [var requests, var seconds] && Int(requests) > 0 && Int(seconds) > 0
            ? new GrainFakeRateLimit(Int(requests), TimeSpan.FromSeconds(Int(seconds)))
            : throw new FormatException("--rate-limit wants <requests>/<seconds>, e.g. 30/20.");
}
