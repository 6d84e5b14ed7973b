namespace CallImport.Testing.Fakes.Dialpad;

/// <summary>
/// <c>dialpad-fake --port 5095 --calls 200 --api-key demo-key [--seed 1] [--page-size 10] [--from 2026-01-01]
/// [--to 2026-02-01] [--enforce-limits] [--server-errors 0.05] [--malformed 3]</c>: the fake in the foreground until Ctrl-C.
/// </summary>
public static class DialpadFakeCommand
{
    public const string Usage =
        "dialpad-fake --port <port> --calls <n> --api-key <key> [--seed <n>] [--page-size <n>] [--from <date>] [--to <date>] [--enforce-limits] [--server-errors <0..1>] [--malformed <n>]";

    public static Task<int> RunAsync(string[] args) => FakeCommandLine.RunAsync(args, Usage, Parse, async (options, stopped) =>
    {
        await using var fake = await DialpadFake.StartAsync(options);
        Console.WriteLine($"DialpadFake listening on {fake.BaseUrl}");
        Console.WriteLine($"{fake.Calls.Count} calls from {options.From:yyyy-MM-dd} to {options.To:yyyy-MM-dd}, page size {options.PageSize}. Ctrl-C stops.");
        await stopped;
        Console.WriteLine($"DialpadFake served {fake.Log.Count} requests, at most {fake.Log.MaxInAnyWindow(null, TimeSpan.FromMinutes(1))} in one minute.");
    });

    internal static DialpadFakeOptions Parse(string[] args)
    {
        var line = FakeCommandLine.Parse(args, ["--port", "--calls", "--api-key", "--seed", "--page-size", "--from", "--to", "--server-errors", "--malformed"], ["--enforce-limits"]);
        var (from, to) = line.Range();
        return new DialpadFakeOptions
        {
            Port = line.Number("--port", 5095),
            Calls = line.Number("--calls", 200),
            ApiKey = line.Required("--api-key"),
            Seed = line.Number("--seed", 1),
            PageSize = Math.Max(1, line.Number("--page-size", 25)),
            From = from,
            To = to,
            EnforceLimits = line.Flag("--enforce-limits"),
            ServerErrorFraction = line.Fraction("--server-errors"),
            MalformedCalls = line.Number("--malformed", 0),
        };
    }
}
