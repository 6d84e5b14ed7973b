namespace CallImport.Testing.Fakes.Grain;

/// <summary>
/// <c>grain-fake --port 5099 --recordings 200 --api-key demo-key [--seed 1] [--page-size 10]
/// [--from 2026-01-01] [--to 2026-02-01] [--rate-limit 30/20] [--throttle-fraction 0.1]</c>: the fake in the foreground until Ctrl-C.
/// </summary>
public static class GrainFakeCommand
{
    public const string Usage =
        "grain-fake --port <port> --recordings <n> --api-key <key> [--seed <n>] [--page-size <n>] [--from <date>] [--to <date>] [--rate-limit <requests>/<seconds>] [--throttle-fraction <0..1>]";

    public static Task<int> RunAsync(string[] args) => FakeCommandLine.RunAsync(args, Usage, Parse, async (parsed, stopped) =>
    {
        var (options, throttleFraction) = parsed;
        await using var fake = await GrainFake.StartAsync(options);
        fake.Faults.ThrottleFraction(throttleFraction);
        Console.WriteLine($"GrainFake listening on {fake.BaseUrl}");
        Console.WriteLine(
            $"{fake.Recordings.Count} recordings from {options.RecordingsFrom:yyyy-MM-dd} to {options.RecordingsTo:yyyy-MM-dd}, page size {options.PageSize}. Ctrl-C stops.");
        await stopped;
        Console.WriteLine($"GrainFake served {fake.Traffic.TotalRequests} requests, at most {fake.Traffic.MaxRequestsPerSecond} in one second.");
    });

    private static (GrainFakeOptions Options, double ThrottleFraction) Parse(string[] args)
    {
        var line = FakeCommandLine.Parse(args, ["--port", "--recordings", "--api-key", "--seed", "--page-size", "--from", "--to", "--rate-limit", "--throttle-fraction"]);
        var (from, to) = line.Range();
        var options = new GrainFakeOptions
        {
            Port = line.Number("--port", 5099),
            RecordingCount = line.Number("--recordings", 200),
            ApiKey = line.Required("--api-key"),
            Seed = line.Number("--seed", 1),
            PageSize = line.Number("--page-size", 10),
            RecordingsFrom = from,
            RecordingsTo = to,
            RateLimit = line.Text("--rate-limit") is { } limit ? RateLimit(limit) : null,
        };
        return (options, line.Fraction("--throttle-fraction"));
    }

    private static GrainFakeRateLimit RateLimit(string value) =>
        value.Split('/') is [var requests, var seconds] && FakeCommandLine.WholeNumber(requests) > 0 && FakeCommandLine.WholeNumber(seconds) > 0
            ? new GrainFakeRateLimit(FakeCommandLine.WholeNumber(requests), TimeSpan.FromSeconds(FakeCommandLine.WholeNumber(seconds)))
            : throw new FormatException("--rate-limit wants <requests>/<seconds>, e.g. 30/20.");
}
