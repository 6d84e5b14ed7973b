namespace CallImport.Testing.Fakes.Fireflies;

/// <summary>Seeded meetings spread over the range: acme.com hosts with example.org guests, sentences, audio bytes.</summary>
internal static class FirefliesFakeSeed
{
    private static readonly (string Name, string Email)[] Internal = [("Alice Johnson", "alice@acme.com"), ("Bruno Diaz", "bruno@acme.com"), ("Chen Wei", "chen@acme.com")];
    private static readonly (string Name, string Email)[] External = [("Dana Smith", "dana@example.org"), ("Eli Moreau", "eli@client.example"), ("Farah Khan", "farah@example.org")];
    private const string IdAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    public static List<FirefliesFakeMeeting> Meetings(FirefliesFakeOptions options, Random random)
    {
        var span = options.To - options.From;
        var starts = Enumerable.Range(0, options.Meetings)
            .Select(_ => options.From + TimeSpan.FromMilliseconds(Math.Floor(random.NextDouble() * span.TotalMilliseconds)))
            .ToList();
        if (options.MeetingsAtBounds) starts.AddRange([options.From, options.To]);
        return [.. starts.Select(start => Meeting(start, options, random))];
    }

    private static FirefliesFakeMeeting Meeting(DateTimeOffset start, FirefliesFakeOptions options, Random random)
    {
        var id = "01" + new string([.. Enumerable.Range(0, 24).Select(_ => IdAlphabet[random.Next(IdAlphabet.Length)])]);
        var host = Internal[random.Next(Internal.Length)];
        var guest = External[random.Next(External.Length)];
        var colleague = Internal[(Array.IndexOf(Internal, host) + 1) % Internal.Length];
        // Fireflies sometimes packs several addresses into one participants entry.
        List<string> entries = random.Next(4) == 0 ? [$"{guest.Email},{colleague.Email}"] : [guest.Email, colleague.Email];
        if (random.Next(2) == 0) entries.Insert(0, host.Email);
        var sentences = random.NextDouble() < options.WithTranscriptFraction
            ? Enumerable.Range(0, 3 + random.Next(6)).Select(i =>
            {
                var at = i * 12.5 + random.NextDouble() * 5;
                return ((i % 2 == 0 ? host : guest).Name, Math.Round(at, 2), Math.Round(at + 4 + random.NextDouble() * 6, 2), $"Sentence {i} of meeting {id}.");
            }).ToList()
            : [];
        byte[]? audio = null;
        if (random.NextDouble() < options.WithAudioFraction)
        {
            audio = new byte[2_000 + random.Next(30_000)];
            random.NextBytes(audio);
        }
        return new FirefliesFakeMeeting(id, $"Call with {guest.Name}", start, Math.Round(5 + random.NextDouble() * 90, 2), host.Email,
            entries, [host, guest], sentences, audio);
    }
}
