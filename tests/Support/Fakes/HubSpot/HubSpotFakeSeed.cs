namespace CallImport.Testing.Fakes.HubSpot;

/// <summary>Seeded calls over the range, the account's owners (one deactivated) and a pool of contacts.</summary>
internal static class HubSpotFakeSeed
{
    public static readonly IReadOnlyList<(string Id, string First, string Last, string Email, bool Archived)> Owners =
    [
        ("101", "Alice", "Johnson", "alice@acme.com", false),
        ("102", "Bruno", "Diaz", "bruno@acme.com", false),
        ("103", "Chen", "Wu", "chen@acme.com", false),
        // Deactivated since: only GET /crm/v3/owners/{id}?archived=true knows them.
        ("109", "Dana", "Former", "dana@acme.com", true),
    ];

    public static readonly IReadOnlyList<(long Id, string First, string Last, string Email, string Phone)> Contacts =
        [.. Enumerable.Range(1, 40).Select(n => (5000L + n, $"Customer{n}", "Buyer", $"buyer{n}@customer{n % 7}.example", $"+1646555{n:0000}"))];

    public static List<HubSpotFakeCall> Calls(HubSpotFakeOptions options, Random random)
    {
        var span = options.To - options.From;
        var starts = new List<DateTimeOffset>();
        for (var n = 0; n < options.Calls; n++)
        {
            var tie = starts.Count > 0 && random.NextDouble() < options.TiedTimestampFraction;
            starts.Add(tie ? starts[^1] : options.From + TimeSpan.FromMilliseconds(Math.Floor(random.NextDouble() * span.TotalMilliseconds)));
        }
        if (options.CallsAtBounds) starts.AddRange([options.From, options.To]);
        return [.. starts.Select((start, n) => Call(30_000_000_000L + n * 7, start, options, random))];
    }

    private static HubSpotFakeCall Call(long id, DateTimeOffset start, HubSpotFakeOptions options, Random random)
    {
        var hasRecording = random.NextDouble() < options.WithMediaFraction;
        var needsAuth = hasRecording && random.NextDouble() < options.ProviderAuthFraction;
        var utterances = random.NextDouble() < options.WithTranscriptFraction
            ? Enumerable.Range(0, 2 + random.Next(4))
                .Select(i => (i % 2 == 0, TimeSpan.FromMilliseconds(1_500 + i * 6_000), TimeSpan.FromMilliseconds(6_500 + i * 6_000), $"Utterance {i} of call {id}."))
                .ToList()
            : null;
        var contacts = Enumerable.Range(0, random.Next(3)).Select(_ => Contacts[random.Next(Contacts.Count)].Id).Distinct().ToList();
        return new HubSpotFakeCall(
            id, start, TimeSpan.FromMilliseconds(15_000 + random.Next(1_800_000)),
            random.Next(2) == 0 ? "INBOUND" : "OUTBOUND",
            Owners[random.Next(Owners.Count)].Id,
            contacts, hasRecording, needsAuth, utterances, options.Seed);
    }
}
