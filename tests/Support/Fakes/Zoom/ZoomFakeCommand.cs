namespace CallImport.Testing.Fakes.Zoom;

/// <summary>
/// <c>zoom-fake --port 5098 --meetings 200 [--storage-port 5097] [--seed 1] [--from 2026-01-01] [--to 2026-02-01]
/// [--client-secret s] [--plan pro|business|free] [--enforce-limits] [--server-error-fraction 0.05]</c>: the fake in the foreground until Ctrl-C.
/// </summary>
public static class ZoomFakeCommand
{
    public const string Usage =
        "zoom-fake --port <port> --meetings <n> [--storage-port <port>] [--seed <n>] [--from <date>] [--to <date>] [--client-secret <secret>] [--plan free|pro|business] [--enforce-limits] [--server-error-fraction <0..1>]";

    public static Task<int> RunAsync(string[] args) => FakeCommandLine.RunAsync(args, Usage, Parse, async (parsed, stopped) =>
    {
        var (options, errors) = parsed;
        await using var fake = await ZoomFake.StartAsync(options);
        fake.Faults.ServerErrorFraction(errors);
        Console.WriteLine($"ZoomFake listening on {fake.BaseUrl} (storage {fake.StorageUrl})");
        Console.WriteLine($"{fake.Meetings.Count} meetings from {options.MeetingsFrom:yyyy-MM-dd} to {options.MeetingsTo:yyyy-MM-dd}, plan {options.Plan}. Ctrl-C stops.");
        Console.WriteLine($"Credentials: {{\"accountId\":\"{options.AccountId}\",\"clientId\":\"{options.ClientId}\",\"clientSecret\":\"<--client-secret>\",\"baseUrl\":\"{fake.BaseUrl}\"}}");
        await stopped;
        Console.WriteLine($"ZoomFake served {fake.Traffic.TotalRequests} requests.");
    });

    private static (ZoomFakeOptions Options, double ServerErrors) Parse(string[] args)
    {
        var line = FakeCommandLine.Parse(args,
            ["--port", "--storage-port", "--meetings", "--seed", "--from", "--to", "--client-secret", "--plan", "--server-error-fraction"], ["--enforce-limits"]);
        var (from, to) = line.Range();
        var options = new ZoomFakeOptions
        {
            Port = line.Number("--port", 5098),
            StoragePort = line.Number("--storage-port", 0),
            MeetingCount = line.Number("--meetings", 200),
            Seed = line.Number("--seed", 1),
            MeetingsFrom = from,
            MeetingsTo = to,
            ClientSecret = line.Text("--client-secret", "zoom-fake-secret"),
            Plan = line.Enum<ZoomFakePlan>("--plan", "pro"),
            EnforceRateLimits = line.Flag("--enforce-limits"),
        };
        return (options, line.Fraction("--server-error-fraction"));
    }
}
