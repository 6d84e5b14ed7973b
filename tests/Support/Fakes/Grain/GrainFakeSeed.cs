namespace CallImport.Testing.Fakes.Grain;

/// <summary>
/// Deterministic recordings from a seed: ids, titles, times, a mix of internal and external participants
/// (some without an email, some whose scope Grain does not know) and short transcripts.
/// </summary>
internal static class GrainFakeSeed
{
    private static readonly string[] Companies = ["Globex", "Initech", "Umbrella", "Hooli", "Stark Industries", "Wayne Enterprises"];
    private static readonly string[] CustomerDomains = ["globex.com", "initech.io", "umbrella.co", "hooli.xyz", "stark.example", "wayne.example"];
    private static readonly string[] Kinds = ["Discovery call", "Demo", "Pricing review", "Onboarding", "Quarterly review", "Renewal"];
    private static readonly string[] FirstNames = ["Ada", "Ben", "Chloe", "Dev", "Eva", "Femi", "Gus", "Hana", "Ivan", "Jo", "Kai", "Lena"];
    private static readonly string[] LastNames = ["Lovelace", "Okafor", "Nguyen", "Patel", "Rossi", "Schmidt", "Tanaka", "Walsh"];
    private static readonly string[] Lines =
    [
        "Thanks for making the time today.",
        "Could you walk us through the current process?",
        "We import about two hundred calls a week.",
        "Pricing depends on the number of seats.",
        "Let's schedule a follow-up next Tuesday.",
        "That sounds great, send over the proposal.",
    ];

    public static IReadOnlyList<GrainFakeRecording> Recordings(GrainFakeOptions options)
    {
        var random = new Random(options.Seed);
        var span = options.RecordingsTo - options.RecordingsFrom;
        var teams = Enumerable.Range(0, 3).Select(_ => NewId(random)).ToArray();
        var meetingTypes = Enumerable.Range(0, 3).Select(_ => NewId(random)).ToArray();
        var recordings = new List<GrainFakeRecording>(options.RecordingCount);
        for (var i = 0; i < options.RecordingCount; i++)
        {
            // Evenly spread, whole seconds, each strictly inside its own slot so the order is stable.
            var slot = span / Math.Max(1, options.RecordingCount);
            var offset = TimeSpan.FromSeconds(Math.Floor((span * i / options.RecordingCount + slot * random.NextDouble() * 0.5).TotalSeconds));
            var start = options.RecordingsFrom + offset;
            var end = start + TimeSpan.FromSeconds(random.Next(5 * 60, 60 * 60));
            var company = random.Next(Companies.Length);
            var id = NewId(random);
            var participants = Participants(random, options.InternalDomain, CustomerDomains[company]);
            recordings.Add(new GrainFakeRecording(
                id,
                $"{Companies[company]} — {Kinds[random.Next(Kinds.Length)]} #{i + 1}",
                start,
                end,
                $"https://grain.com/share/recording/{id}",
                teams[random.Next(teams.Length)],
                meetingTypes[random.Next(meetingTypes.Length)],
                participants,
                Transcript(random, participants, (long)(end - start).TotalMilliseconds)));
        }
        if (options.RecordingsAtBounds)
        {
            foreach (var (at, name) in new[] { (options.RecordingsFrom, "at the start"), (options.RecordingsTo, "at the end") })
            {
                var id = NewId(random);
                var participants = Participants(random, options.InternalDomain, CustomerDomains[0]);
                var end = at + TimeSpan.FromMinutes(30);
                recordings.Add(new GrainFakeRecording(id, $"Boundary call {name}", at, end, $"https://grain.com/share/recording/{id}",
                    teams[0], meetingTypes[0], participants, Transcript(random, participants, (long)(end - at).TotalMilliseconds)));
            }
        }
        return recordings;
    }

    private static List<GrainFakeParticipant> Participants(Random random, string internalDomain, string customerDomain)
    {
        var participants = new List<GrainFakeParticipant> { Person(random, internalDomain, "internal") };
        var others = random.Next(1, 5);
        for (var i = 0; i < others; i++)
        {
            participants.Add(random.Next(10) switch
            {
                0 => Person(random, internalDomain, "internal"),
                1 => Person(random, null, "external"),          // a guest who joined without an email
                2 => Person(random, null, "unknown"),           // a dial-in Grain could not place
                3 => Person(random, customerDomain, "unknown"), // an email, but Grain does not say whose
                _ => Person(random, customerDomain, "external"),
            });
        }
        return participants;
    }

    private static GrainFakeParticipant Person(Random random, string? domain, string scope)
    {
        var first = FirstNames[random.Next(FirstNames.Length)];
        var last = LastNames[random.Next(LastNames.Length)];
        var email = domain is null ? null : $"{first.ToLowerInvariant()}.{last.ToLowerInvariant()}@{domain}";
        return new GrainFakeParticipant(NewId(random), $"{first} {last}", email, scope);
    }

    private static List<GrainFakeTranscriptSection> Transcript(Random random, List<GrainFakeParticipant> participants, long durationMs)
    {
        var count = random.Next(3, 7);
        var step = durationMs / count;
        return Enumerable.Range(0, count).Select(i =>
        {
            var speaker = participants[random.Next(participants.Count)];
            var start = i * step + random.Next(0, 1000);
            return new GrainFakeTranscriptSection(speaker.Id, speaker.Name, start, start + step / 2, Lines[random.Next(Lines.Length)]);
        }).ToList();
    }

    private static string NewId(Random random)
    {
        var bytes = new byte[16];
        random.NextBytes(bytes);
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x40); // version 4
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80); // RFC 4122 variant
        return new Guid(bytes, bigEndian: true).ToString();
    }
}
