namespace CallImport.Testing.Fakes.RingCentral;

/// <summary>
/// <c>ringcentral-fake --port 5098 --calls 200 [--seed 1] [--from 2026-01-01] [--to 2026-02-01]
/// [--limits documented|none] [--token-lifetime 3600] [--server-error-fraction 0.05]</c>: the fake in the foreground until Ctrl-C.
/// </summary>
public static class RingCentralFakeCommand
{
    public const string Usage =
        "ringcentral-fake --port <port> --calls <n> [--seed <n>] [--from <date>] [--to <date>] [--limits documented|none] [--token-lifetime <seconds>] [--server-error-fraction <0..1>]";

    public static Task<int> RunAsync(string[] args) => FakeCommandLine.RunAsync(args, Usage, Parse, async (parsed, stopped) =>
    {
        var (options, serverErrors) = parsed;
        await using var fake = await RingCentralFake.StartAsync(options);
        fake.Faults.ServerErrorFraction(serverErrors);
        Console.WriteLine($"RingCentralFake listening on {fake.BaseUrl}");
        Console.WriteLine($"Credentials: {fake.CredentialsJson()}");
        Console.WriteLine(
            $"{fake.Calls.Count} calls from {options.CallsFrom:yyyy-MM-dd} to {options.CallsTo:yyyy-MM-dd}, usage plan {(options.UsagePlan is null ? "none" : "documented (Heavy 10/min, 60 s penalty)")}. Ctrl-C stops.");
        await stopped;
        Console.WriteLine($"RingCentralFake served {fake.Traffic.TotalRequests} requests ({fake.Traffic.InGroup(RingCentralFakeUsagePlan.Heavy)} Heavy).");
    });

    private static (RingCentralFakeOptions Options, double ServerErrors) Parse(string[] args)
    {
        var line = FakeCommandLine.Parse(args, ["--port", "--calls", "--seed", "--from", "--to", "--limits", "--token-lifetime", "--server-error-fraction"]);
        var (from, to) = line.Range();
        var options = new RingCentralFakeOptions
        {
            Port = line.Number("--port", 5098),
            CallCount = line.Number("--calls", 200),
            Seed = line.Number("--seed", 1),
            CallsFrom = from,
            CallsTo = to,
            UsagePlan = line.Choice("--limits", "documented", new Dictionary<string, RingCentralFakeUsagePlan?>
            {
                ["documented"] = RingCentralFakeUsagePlan.Documented,
                ["none"] = null,
            }),
            AccessTokenLifetime = TimeSpan.FromSeconds(line.Number("--token-lifetime", 3600)),
        };
        return (options, line.Fraction("--server-error-fraction"));
    }
}
