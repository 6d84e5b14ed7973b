using System.Globalization;

namespace CallImport.Testing.Fakes.Zoom;

/// <summary>
/// <c>zoom-fake --port 5098 --meetings 200 [--storage-port 5097] [--seed 1] [--from 2026-01-01] [--to 2026-02-01]
/// [--client-secret s] [--plan pro|business|free] [--enforce-limits] [--server-error-fraction 0.05]</c>: the fake in the foreground until Ctrl-C.
/// </summary>
public static class ZoomFakeCommand
{
    public const string Usage =
        "zoom-fake --port <port> --meetings <n> [--storage-port <port>] [--seed <n>] [--from <date>] [--to <date>] [--client-secret <secret>] [--plan free|pro|business] [--enforce-limits] [--server-error-fraction <0..1>]";

    public static async Task<int> RunAsync(string[] args)
    {
        ZoomFakeOptions options;
        double errors;
        try
        {
            (options, errors) = Parse(args);
        }
        catch (FormatException e)
        {
            await Console.Error.WriteLineAsync($"{e.Message}\nUsage: {Usage}");
            return 2;
        }

        using var stop = new StopSignal();
        await using var fake = await ZoomFake.StartAsync(options);
        fake.Faults.ServerErrorFraction(errors);
        Console.WriteLine($"ZoomFake listening on {fake.BaseUrl} (storage {fake.StorageUrl})");
        Console.WriteLine($"{fake.Meetings.Count} meetings from {options.MeetingsFrom:yyyy-MM-dd} to {options.MeetingsTo:yyyy-MM-dd}, plan {options.Plan}. Ctrl-C stops.");
        Console.WriteLine($"Credentials: {{\"accountId\":\"{options.AccountId}\",\"clientId\":\"{options.ClientId}\",\"clientSecret\":\"<--client-secret>\",\"baseUrl\":\"{fake.BaseUrl}\"}}");
        await stop.Stopped;
        Console.WriteLine($"ZoomFake served {fake.Traffic.TotalRequests} requests.");
        return 0;
    }

    private static (ZoomFakeOptions, double) Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--enforce-limits")
            {
                values[args[i]] = "true";
                continue;
            }
            values[args[i]] = i + 1 < args.Length ? args[++i] : throw new FormatException($"'{args[i]}' needs a value.");
        }
        string[] known = ["--port", "--storage-port", "--meetings", "--seed", "--from", "--to", "--client-secret", "--plan", "--enforce-limits", "--server-error-fraction"];
        if (values.Keys.FirstOrDefault(k => !known.Contains(k)) is { } unknown) throw new FormatException($"Unknown option '{unknown}'.");

        var options = new ZoomFakeOptions
        {
            Port = Int(values.GetValueOrDefault("--port", "5098")),
            StoragePort = Int(values.GetValueOrDefault("--storage-port", "0")),
            MeetingCount = Int(values.GetValueOrDefault("--meetings", "200")),
            Seed = Int(values.GetValueOrDefault("--seed", "1")),
            MeetingsFrom = Time(values.GetValueOrDefault("--from", "2026-01-01")),
            MeetingsTo = Time(values.GetValueOrDefault("--to", "2026-02-01")),
            ClientSecret = values.GetValueOrDefault("--client-secret", "zoom-fake-secret"),
            Plan = Enum.TryParse<ZoomFakePlan>(values.GetValueOrDefault("--plan", "pro"), ignoreCase: true, out var plan)
                ? plan : throw new FormatException("--plan wants free, pro or business."),
            EnforceRateLimits = values.ContainsKey("--enforce-limits"),
        };
        if (options.MeetingsTo <= options.MeetingsFrom) throw new FormatException("--to must be after --from.");
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
