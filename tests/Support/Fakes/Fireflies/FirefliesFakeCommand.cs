using System.Globalization;

namespace CallImport.Testing.Fakes.Fireflies;

/// <summary>
/// <c>fireflies-fake --port 5094 --media-port 5093 --meetings 200 --api-key demo-key [--plan business|free|pro|enterprise]
/// [--seed 1] [--from 2026-01-01] [--to 2026-02-01] [--enforce-limits] [--server-errors 0.05] [--malformed 3]
/// [--processing 2]</c>: the fake in the foreground until Ctrl-C.
/// </summary>
public static class FirefliesFakeCommand
{
    public const string Usage =
        "fireflies-fake --port <port> --media-port <port> --meetings <n> --api-key <key> [--plan business|enterprise|pro|free] [--seed <n>] [--from <date>] [--to <date>] [--enforce-limits] [--server-errors <0..1>] [--malformed <n>] [--processing <n>]";

    public static async Task<int> RunAsync(string[] args)
    {
        FirefliesFakeOptions options;
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
        await using var fake = await FirefliesFake.StartAsync(options);
        Console.WriteLine($"FirefliesFake listening on {fake.BaseUrl}graphql (media on {fake.MediaBaseUrl})");
        Console.WriteLine($"{fake.Meetings.Count} meetings from {options.From:yyyy-MM-dd} to {options.To:yyyy-MM-dd}, {options.Plan} plan. Ctrl-C stops.");
        Console.WriteLine($"Credentials file: {fake.CredentialsJson()}");
        await stop.Stopped;
        Console.WriteLine($"FirefliesFake served {fake.ApiRequests} API requests and {fake.MediaRequests} downloads.");
        return 0;
    }

    internal static FirefliesFakeOptions Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--enforce-limits") { values[args[i]] = "true"; continue; }
            values[args[i]] = i + 1 < args.Length ? args[++i] : throw new FormatException($"'{args[i]}' needs a value.");
        }
        string[] known = ["--port", "--media-port", "--meetings", "--api-key", "--plan", "--seed", "--from", "--to", "--enforce-limits", "--server-errors", "--malformed", "--processing"];
        if (values.Keys.FirstOrDefault(k => !known.Contains(k)) is { } unknown) throw new FormatException($"Unknown option '{unknown}'.");
        var options = new FirefliesFakeOptions
        {
            Port = Int(values.GetValueOrDefault("--port", "5094")),
            MediaPort = Int(values.GetValueOrDefault("--media-port", "5093")),
            Meetings = Int(values.GetValueOrDefault("--meetings", "200")),
            ApiKey = values.GetValueOrDefault("--api-key") ?? throw new FormatException("--api-key is required."),
            Plan = Enum.TryParse<FirefliesFakePlan>(values.GetValueOrDefault("--plan", "business"), ignoreCase: true, out var plan)
                ? plan : throw new FormatException("--plan is one of business, enterprise, pro, free."),
            Seed = Int(values.GetValueOrDefault("--seed", "1")),
            From = Time(values.GetValueOrDefault("--from", "2026-01-01")),
            To = Time(values.GetValueOrDefault("--to", "2026-02-01")),
            EnforceLimits = values.ContainsKey("--enforce-limits"),
            ServerErrorFraction = Fraction(values.GetValueOrDefault("--server-errors", "0")),
            MalformedMeetings = Int(values.GetValueOrDefault("--malformed", "0")),
            ProcessingMeetings = Int(values.GetValueOrDefault("--processing", "0")),
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
