namespace CallImport.Testing.Fakes.Fathom;

/// <summary>
/// <c>fathom-fake --port 5096 --meetings 200 --api-key demo-key [--seed 1] [--page-size 10] [--from 2026-01-01]
/// [--to 2026-02-01] [--enforce-limits] [--server-errors 0.05] [--malformed 3]</c>: the fake in the foreground until Ctrl-C.
/// </summary>
public static class FathomFakeCommand
{
    public const string Usage =
        "fathom-fake --port <port> --meetings <n> --api-key <key> [--seed <n>] [--page-size <n>] [--from <date>] [--to <date>] [--enforce-limits] [--server-errors <0..1>] [--malformed <n>]";

    public static Task<int> RunAsync(string[] args) => FakeCommandLine.RunAsync(args, Usage, Parse, async (options, stopped) =>
    {
        await using var fake = await FathomFake.StartAsync(options);
        Console.WriteLine($"FathomFake listening on {fake.BaseUrl}");
        Console.WriteLine($"{fake.Meetings.Count} meetings from {options.From:yyyy-MM-dd} to {options.To:yyyy-MM-dd}, page size {options.PageSize}. Ctrl-C stops.");
        await stopped;
        Console.WriteLine($"FathomFake served {fake.Log.Count} requests, at most {fake.Log.MaxInAnyWindow(null, TimeSpan.FromMinutes(1))} in one minute.");
    });

    internal static FathomFakeOptions Parse(string[] args)
    {
        var line = FakeCommandLine.Parse(args, ["--port", "--meetings", "--api-key", "--seed", "--page-size", "--from", "--to", "--server-errors", "--malformed"], ["--enforce-limits"]);
        var (from, to) = line.Range();
        return new FathomFakeOptions
        {
            Port = line.Number("--port", 5096),
            Meetings = line.Number("--meetings", 200),
            ApiKey = line.Required("--api-key"),
            Seed = line.Number("--seed", 1),
            PageSize = Math.Max(1, line.Number("--page-size", 10)),
            From = from,
            To = to,
            EnforceLimits = line.Flag("--enforce-limits"),
            ServerErrorFraction = line.Fraction("--server-errors"),
            MalformedMeetings = line.Number("--malformed", 0),
        };
    }
}
