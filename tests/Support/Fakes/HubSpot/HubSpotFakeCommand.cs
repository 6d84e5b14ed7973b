using System.Globalization;

namespace CallImport.Testing.Fakes.HubSpot;

/// <summary>
/// <c>hubspot-fake --port 5093 --calls 200 [--seed 1] [--page-size 200] [--from 2026-01-01] [--to 2026-02-01]
/// [--enforce-limits] [--server-errors 0.05] [--malformed 3] [--provider-auth 0.1]</c>: the fake in the foreground until Ctrl-C.
/// </summary>
public static class HubSpotFakeCommand
{
    public const string Usage =
        "hubspot-fake --port <port> --calls <n> [--seed <n>] [--page-size <n>] [--from <date>] [--to <date>] [--enforce-limits] [--server-errors <0..1>] [--malformed <n>] [--provider-auth <0..1>]";

    public static async Task<int> RunAsync(string[] args)
    {
        HubSpotFakeOptions options;
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
        await using var fake = await HubSpotFake.StartAsync(options);
        Console.WriteLine($"HubSpotFake listening on {fake.BaseUrl} (calling provider's recordings on {fake.ProviderUrl})");
        Console.WriteLine($"{fake.Calls.Count} calls from {options.From:yyyy-MM-dd} to {options.To:yyyy-MM-dd}, search pages of up to {options.MaxPageSize}. Ctrl-C stops.");
        Console.WriteLine($"Private-app credentials file (transcripts queued): {HubSpotFake.CredentialsJson(fake.PrivateAppCredentials)}");
        Console.WriteLine($"OAuth credentials file (transcripts imported):     {HubSpotFake.CredentialsJson(fake.OAuthCredentials)}");
        await stop.Stopped;
        Console.WriteLine($"HubSpotFake served {fake.Log.Count} requests, at most {fake.Log.MaxInAnyWindow("overall", HubSpotFake.Overall.Window)} in 10 s.");
        return 0;
    }

    internal static HubSpotFakeOptions Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--enforce-limits") { values[args[i]] = "true"; continue; }
            values[args[i]] = i + 1 < args.Length ? args[++i] : throw new FormatException($"'{args[i]}' needs a value.");
        }
        string[] known = ["--port", "--calls", "--seed", "--page-size", "--from", "--to", "--enforce-limits", "--server-errors", "--malformed", "--provider-auth"];
        if (values.Keys.FirstOrDefault(k => !known.Contains(k)) is { } unknown) throw new FormatException($"Unknown option '{unknown}'.");
        var options = new HubSpotFakeOptions
        {
            Port = Int(values.GetValueOrDefault("--port", "5093")),
            Calls = Int(values.GetValueOrDefault("--calls", "200")),
            Seed = Int(values.GetValueOrDefault("--seed", "1")),
            MaxPageSize = Math.Clamp(Int(values.GetValueOrDefault("--page-size", "200")), 1, 200),
            From = Time(values.GetValueOrDefault("--from", "2026-01-01")),
            To = Time(values.GetValueOrDefault("--to", "2026-02-01")),
            EnforceLimits = values.ContainsKey("--enforce-limits"),
            ServerErrorFraction = Fraction("--server-errors", values.GetValueOrDefault("--server-errors", "0")),
            MalformedCalls = Int(values.GetValueOrDefault("--malformed", "0")),
            ProviderAuthFraction = Fraction("--provider-auth", values.GetValueOrDefault("--provider-auth", "0")),
        };
        return options.To > options.From ? options : throw new FormatException("--to must be after --from.");
    }

    private static int Int(string value) =>
        int.TryParse(value, CultureInfo.InvariantCulture, out var n) && n >= 0 ? n : throw new FormatException($"'{value}' is not a whole number.");

    private static double Fraction(string option, string value) =>
        double.TryParse(value, CultureInfo.InvariantCulture, out var f) && f is >= 0 and <= 1 ? f : throw new FormatException($"{option} wants a number from 0 to 1.");

    private static DateTimeOffset Time(string value) =>
        DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? time
            : throw new FormatException($"'{value}' is not a date (e.g. 2026-01-01 or 2026-01-01T00:00:00Z).");
}
