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

    public static Task<int> RunAsync(string[] args) => FakeCommandLine.RunAsync(args, Usage, Parse, async (options, stopped) =>
    {
        await using var fake = await FirefliesFake.StartAsync(options);
        Console.WriteLine($"FirefliesFake listening on {fake.BaseUrl}graphql (media on {fake.MediaBaseUrl})");
        Console.WriteLine($"{fake.Meetings.Count} meetings from {options.From:yyyy-MM-dd} to {options.To:yyyy-MM-dd}, {options.Plan} plan. Ctrl-C stops.");
        Console.WriteLine($"Credentials file: {fake.CredentialsJson()}");
        await stopped;
        Console.WriteLine($"FirefliesFake served {fake.ApiRequests} API requests and {fake.MediaRequests} downloads.");
    });

    internal static FirefliesFakeOptions Parse(string[] args)
    {
        var line = FakeCommandLine.Parse(args,
            ["--port", "--media-port", "--meetings", "--api-key", "--plan", "--seed", "--from", "--to", "--server-errors", "--malformed", "--processing"], ["--enforce-limits"]);
        var (from, to) = line.Range();
        return new FirefliesFakeOptions
        {
            Port = line.Number("--port", 5094),
            MediaPort = line.Number("--media-port", 5093),
            Meetings = line.Number("--meetings", 200),
            ApiKey = line.Required("--api-key"),
            Plan = line.Enum<FirefliesFakePlan>("--plan", "business"),
            Seed = line.Number("--seed", 1),
            From = from,
            To = to,
            EnforceLimits = line.Flag("--enforce-limits"),
            ServerErrorFraction = line.Fraction("--server-errors"),
            MalformedMeetings = line.Number("--malformed", 0),
            ProcessingMeetings = line.Number("--processing", 0),
        };
    }
}
