namespace CallImport.Testing.Fakes.Dialpad;

/// <summary>Seeded concluded calls spread over the range, with recordings (random bytes) and transcript lines.</summary>
internal static class DialpadFakeSeed
{
    private static readonly (long, string, string, string)[] Users =
    [
        (5001, "Alice Johnson", "alice@acme.com", "+14155550101"),
        (5002, "Bruno Diaz", "bruno@acme.com", "+14155550102"),
    ];

    public static List<DialpadFakeCall> Calls(DialpadFakeOptions options, Random random)
    {
        var span = options.To - options.From;
        var starts = Enumerable.Range(0, options.Calls)
            .Select(_ => options.From + TimeSpan.FromMilliseconds(Math.Floor(random.NextDouble() * span.TotalMilliseconds)))
            .ToList();
        if (options.CallsAtBounds) starts.AddRange([options.From, options.To]);
        return [.. starts.Select((start, n) => Call(6_000_000_000L + n, start, options, random))];
    }

    private static DialpadFakeCall Call(long id, DateTimeOffset start, DialpadFakeOptions options, Random random)
    {
        var duration = TimeSpan.FromMilliseconds(20_000 + random.Next(1_800_000));
        byte[]? recording = null;
        if (random.NextDouble() < options.WithMediaFraction)
        {
            recording = new byte[2_000 + random.Next(30_000)];
            random.NextBytes(recording);
        }
        var lines = random.NextDouble() < options.WithTranscriptFraction
            ? Enumerable.Range(0, 2 + random.Next(4)).Select(i => (i % 2 == 0, TimeSpan.FromSeconds(3 + i * 7), $"Line {i} of call {id}.")).ToList()
            : null;
        var contactNumber = $"+1212555{random.Next(1000, 9999)}";
        return new DialpadFakeCall(
            id, start, duration, random.Next(2) == 0 ? "inbound" : "outbound",
            Users[random.Next(Users.Length)],
            ($"c{random.Next(100, 999)}", $"Customer {random.Next(100)}", contactNumber),
            recording, lines,
            StartAsString: random.Next(3) == 0,
            RecordingOnlyInDetail: recording is not null && random.NextDouble() < options.RecordingOnlyInDetailFraction);
    }
}
