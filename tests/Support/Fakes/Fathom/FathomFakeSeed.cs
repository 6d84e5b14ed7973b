namespace CallImport.Testing.Fakes.Fathom;

/// <summary>Seeded meetings spread over the range; Fathom stores each minutes to days after its recording ended.</summary>
internal static class FathomFakeSeed
{
    private static readonly string[] Teams = ["Sales", "Customer Success", "Marketing"];
    private static readonly string[] Internal = ["Alice Johnson", "Bruno Diaz", "Chen Wei"];
    private static readonly string[] External = ["Dana Smith", "Eli Moreau", "Farah Khan"];

    public static List<FathomFakeMeeting> Meetings(FathomFakeOptions options, Random random)
    {
        var span = options.To - options.From;
        var starts = Enumerable.Range(0, options.Meetings)
            .Select(_ => options.From + TimeSpan.FromSeconds(Math.Floor(random.NextDouble() * span.TotalSeconds)))
            .ToList();
        if (options.MeetingsAtBounds) starts.AddRange([options.From, options.To]);
        return [.. starts.Select((start, n) => Meeting(1_000_000 + n, start, random))];
    }

    private static FathomFakeMeeting Meeting(long id, DateTimeOffset start, Random random)
    {
        var end = start + TimeSpan.FromMinutes(5 + random.Next(120));
        // Mostly stored a minute or so after the end; one in ten after a processing backlog of up to three days.
        var stored = end + (random.Next(10) == 0 ? TimeSpan.FromHours(random.Next(1, 72)) : TimeSpan.FromSeconds(30 + random.Next(300)));
        var host = Internal[random.Next(Internal.Length)];
        var guest = External[random.Next(External.Length)];
        var invitees = new List<(string, string, bool)> { (host, Email(host, "acme.com"), false), (guest, Email(guest, "example.org"), true) };
        var lines = Enumerable.Range(0, 3 + random.Next(5))
            .Select(i => (i % 2 == 0 ? host : guest, Clock(TimeSpan.FromSeconds(i * (20 + random.Next(40)))), $"Line {i} of meeting {id}."))
            .ToList();
        return new FathomFakeMeeting(id, $"Meeting {id}", start, end, stored, Teams[random.Next(Teams.Length)], Email(host, "acme.com"), invitees, lines);
    }

    private static string Email(string name, string domain) => name.Split(' ')[0].ToLowerInvariant() + "@" + domain;

    private static string Clock(TimeSpan t) => $"{(int)t.TotalHours:00}:{t.Minutes:00}:{t.Seconds:00}";
}
