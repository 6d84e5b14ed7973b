namespace CallImport.Testing.Fakes.Gong;

/// <summary>
/// <c>gong-fake --port 5097 --calls 500 [--access-key K --access-key-secret S] [--seed 1] [--from 2025-01-01]
/// [--to 2026-01-01] [--no-limits] [--server-error-fraction 0.05] [--malformed 3]</c>: the fake in the foreground until Ctrl-C.
/// </summary>
public static class GongFakeCommand
{
    public const string Usage =
        "gong-fake --port <port> --calls <n> [--access-key <key>] [--access-key-secret <secret>] [--seed <n>] [--from <date>] [--to <date>] [--no-limits true] [--server-error-fraction <0..1>] [--malformed <n>]";

    public static Task<int> RunAsync(string[] args) => FakeCommandLine.RunAsync(args, Usage, Parse, async (parsed, stopped) =>
    {
        var (options, serverErrors, malformed) = parsed;
        await using var fake = await GongFake.StartAsync(options);
        fake.Faults.ServerErrorFraction(serverErrors);
        fake.Faults.MalformedCalls([.. fake.Calls.Where((_, i) => i % 7 == 3).Take(malformed).Select(c => c.Id)]);
        Console.WriteLine($"GongFake listening on {fake.BaseUrl} (accessKey {fake.AccessKey}; the secret is in the options you passed)");
        Console.WriteLine(
            $"{fake.Calls.Count} calls ({fake.Calls.Count(c => c.IsPrivate)} private) from {options.CallsFrom:yyyy-MM-dd} to {options.CallsTo:yyyy-MM-dd}; " +
            $"limits {(options.RateLimit is { } l ? $"{l.PerSecond}/s, {l.PerDay}/day" : "off")}. Ctrl-C stops.");
        await stopped;
        Console.WriteLine($"GongFake served {fake.Traffic.ApiRequests} API requests, at most {fake.Traffic.MaxApiRequestsIn(TimeSpan.FromSeconds(1))} in one second.");
    });

    private static (GongFakeOptions Options, double ServerErrors, int Malformed) Parse(string[] args)
    {
        var line = FakeCommandLine.Parse(args,
            ["--port", "--calls", "--access-key", "--access-key-secret", "--seed", "--from", "--to", "--no-limits", "--server-error-fraction", "--malformed"]);
        var (from, to) = line.Range("2025-01-01", "2026-01-01");
        var defaults = new GongFakeOptions();
        var options = new GongFakeOptions
        {
            Port = line.Number("--port", 5097),
            CallCount = line.Number("--calls", 200),
            AccessKey = line.Text("--access-key", defaults.AccessKey),
            AccessKeySecret = line.Text("--access-key-secret", defaults.AccessKeySecret),
            Seed = line.Number("--seed", 1),
            CallsFrom = from,
            CallsTo = to,
            RateLimit = line.Text("--no-limits") == "true" ? null : GongFakeRateLimit.Documented,
        };
        return (options, line.Fraction("--server-error-fraction"), line.Number("--malformed", 0));
    }
}
