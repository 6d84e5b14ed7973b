namespace CallImport.Testing.Fakes.HubSpot;

/// <summary>
/// <c>hubspot-fake --port 5093 --calls 200 [--seed 1] [--page-size 200] [--from 2026-01-01] [--to 2026-02-01]
/// [--enforce-limits] [--server-errors 0.05] [--malformed 3] [--provider-auth 0.1]</c>: the fake in the foreground until Ctrl-C.
/// </summary>
public static class HubSpotFakeCommand
{
    public const string Usage =
        "hubspot-fake --port <port> --calls <n> [--seed <n>] [--page-size <n>] [--from <date>] [--to <date>] [--enforce-limits] [--server-errors <0..1>] [--malformed <n>] [--provider-auth <0..1>]";

    public static Task<int> RunAsync(string[] args) => FakeCommandLine.RunAsync(args, Usage, Parse, async (options, stopped) =>
    {
        await using var fake = await HubSpotFake.StartAsync(options);
        Console.WriteLine($"HubSpotFake listening on {fake.BaseUrl} (calling provider's recordings on {fake.ProviderUrl})");
        Console.WriteLine($"{fake.Calls.Count} calls from {options.From:yyyy-MM-dd} to {options.To:yyyy-MM-dd}, search pages of up to {options.MaxPageSize}. Ctrl-C stops.");
        Console.WriteLine($"Private-app credentials file (transcripts queued): {HubSpotFake.CredentialsJson(fake.PrivateAppCredentials)}");
        Console.WriteLine($"OAuth credentials file (transcripts imported):     {HubSpotFake.CredentialsJson(fake.OAuthCredentials)}");
        await stopped;
        Console.WriteLine($"HubSpotFake served {fake.Log.Count} requests, at most {fake.Log.MaxInAnyWindow("overall", HubSpotFake.Overall.Window)} in 10 s.");
    });

    internal static HubSpotFakeOptions Parse(string[] args)
    {
        var line = FakeCommandLine.Parse(args,
            ["--port", "--calls", "--seed", "--page-size", "--from", "--to", "--server-errors", "--malformed", "--provider-auth"], ["--enforce-limits"]);
        var (from, to) = line.Range();
        return new HubSpotFakeOptions
        {
            Port = line.Number("--port", 5093),
            Calls = line.Number("--calls", 200),
            Seed = line.Number("--seed", 1),
            MaxPageSize = Math.Clamp(line.Number("--page-size", 200), 1, 200),
            From = from,
            To = to,
            EnforceLimits = line.Flag("--enforce-limits"),
            ServerErrorFraction = line.Fraction("--server-errors"),
            MalformedCalls = line.Number("--malformed", 0),
            ProviderAuthFraction = line.Fraction("--provider-auth"),
        };
    }
}
