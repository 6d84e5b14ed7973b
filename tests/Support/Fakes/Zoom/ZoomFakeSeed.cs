using System.Globalization;
using System.Text;

namespace CallImport.Testing.Fakes.Zoom;

/// <summary>
/// Deterministic meetings from a seed: account users as hosts (the first is the token's owner, "me"),
/// base64 UUIDs (some beginning with '/' or containing '//'), MP4/M4A/CHAT files with random bytes and,
/// for some, a TRANSCRIPT in WebVTT with "Name: text" cues as Zoom writes them.
/// </summary>
internal static class ZoomFakeSeed
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
        "We record about two hundred calls a week.",
        "Pricing depends on the number of seats.",
        "Let's schedule a follow-up next Tuesday.",
        "That sounds great, send over the proposal.",
    ];

    public static IReadOnlyList<ZoomFakeUser> Users(ZoomFakeOptions options)
    {
        var random = new Random(options.Seed ^ 0x5A5A);
        return Enumerable.Range(0, 4).Select(i =>
        {
            var (first, last) = (FirstNames[(i * 5 + random.Next(3)) % FirstNames.Length], LastNames[(i * 3 + random.Next(3)) % LastNames.Length]);
            return new ZoomFakeUser(UserId(random), $"{first.ToLowerInvariant()}.{last.ToLowerInvariant()}{i}@{options.InternalDomain}", $"{first} {last}");
        }).ToList();
    }

    public static IReadOnlyList<ZoomFakeMeeting> Meetings(ZoomFakeOptions options, IReadOnlyList<ZoomFakeUser> users)
    {
        var random = new Random(options.Seed);
        var span = options.MeetingsTo - options.MeetingsFrom;
        var starts = new List<DateTimeOffset>();
        for (var i = 0; i < options.MeetingCount; i++)
        {
            var slot = span / Math.Max(1, options.MeetingCount);
            var offset = TimeSpan.FromSeconds(Math.Floor((span * i / options.MeetingCount + slot * random.NextDouble() * 0.5).TotalSeconds));
            starts.Add(options.MeetingsFrom + offset);
        }
        if (options.MeetingsAtBounds)
        {
            starts.Add(options.MeetingsFrom);
            starts.Add(options.MeetingsTo);
        }

        var meetings = new List<ZoomFakeMeeting>(starts.Count);
        var usedUuids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (start, i) in starts.Select((s, i) => (s, i)))
        {
            var awkward = random.NextDouble() < options.AwkwardUuidFraction;
            string uuid;
            do uuid = Uuid(random, awkward); while (!usedUuids.Add(uuid));
            var host = users[random.Next(users.Count)];
            var duration = random.Next(5, 60);
            var company = random.Next(Companies.Length);
            var participants = Participants(random, host, CustomerDomains[company], duration);
            var files = new List<ZoomFakeFile>();
            if (random.NextDouble() < options.WithMediaFraction)
            {
                files.Add(File(random, "MP4", "MP4", "shared_screen_with_speaker_view", "video/mp4", RandomBytes(random, 4_000, 40_000)));
                files.Add(File(random, "M4A", "M4A", "audio_only", "audio/mp4", RandomBytes(random, 2_000, 12_000)));
            }
            files.Add(File(random, "CHAT", "TXT", "chat_file", "text/plain", Encoding.UTF8.GetBytes($"00:01:02\t {host.Name}:\tHello everyone\r\n")));
            if (random.NextDouble() < options.WithTranscriptFraction)
                files.Add(File(random, "TRANSCRIPT", "VTT", "audio_transcript", "text/vtt", Encoding.UTF8.GetBytes(Vtt(random, participants, duration))));
            meetings.Add(new ZoomFakeMeeting(
                uuid,
                random.NextInt64(80_000_000_000, 99_999_999_999),
                $"{Companies[company]} — {Kinds[random.Next(Kinds.Length)]} #{i + 1}",
                start,
                duration,
                host,
                files,
                participants));
        }
        return meetings;
    }

    private static List<ZoomFakeParticipant> Participants(Random random, ZoomFakeUser host, string customerDomain, int minutes)
    {
        var people = new List<ZoomFakeParticipant> { new(host.Id, host.Name, host.Email, TimeSpan.Zero, TimeSpan.FromMinutes(minutes)) };
        var others = random.Next(0, 4); // some meetings had the host alone: Zoom then lists no participants
        for (var i = 0; i < others; i++)
        {
            var first = FirstNames[random.Next(FirstNames.Length)];
            var last = LastNames[random.Next(LastNames.Length)];
            var signedIn = random.Next(3) > 0;
            var email = random.Next(5) == 0 ? null : $"{first.ToLowerInvariant()}.{last.ToLowerInvariant()}@{customerDomain}";
            var joined = TimeSpan.FromMinutes(random.Next(0, 3));
            people.Add(new ZoomFakeParticipant(signedIn ? UserId(random) : "", $"{first} {last}", email, joined, TimeSpan.FromMinutes(minutes) - joined));
            if (random.Next(6) == 0) // a dropped connection: the same person twice, as Zoom lists it
                people.Add(new ZoomFakeParticipant(signedIn ? people[^1].UserId : "", $"{first} {last}", email, joined + TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1)));
        }
        return people;
    }

    private static string Vtt(Random random, List<ZoomFakeParticipant> people, int minutes)
    {
        var text = new StringBuilder("WEBVTT\n\n");
        var count = random.Next(3, 8);
        var step = TimeSpan.FromMinutes(minutes) / count;
        for (var i = 0; i < count; i++)
        {
            var start = step * i + TimeSpan.FromMilliseconds(random.Next(0, 900));
            var end = start + step / 2;
            text.Append(CultureInfo.InvariantCulture, $"{i + 1}\n{Stamp(start)} --> {Stamp(end)}\n{people[random.Next(people.Count)].Name}: {Lines[random.Next(Lines.Length)]}\n\n");
        }
        return text.ToString();
    }

    private static string Stamp(TimeSpan t) => t.ToString(@"hh\:mm\:ss\.fff", CultureInfo.InvariantCulture);

    private static ZoomFakeFile File(Random random, string type, string extension, string recordingType, string contentType, byte[] content) =>
        new(random.NextInt64(0x1000_0000_0000, 0xFFFF_FFFF_FFFF).ToString("x12", CultureInfo.InvariantCulture) + "-" + type.ToLowerInvariant(), type, extension, recordingType, contentType, content);

    private static byte[] RandomBytes(Random random, int min, int max)
    {
        var bytes = new byte[random.Next(min, max)];
        random.NextBytes(bytes);
        return bytes;
    }

    /// <summary>Zoom UUIDs are base64 of 16 bytes ("4444AAAiAAAAAAAAAAAAAA=="); some begin with '/' or hold '//'.</summary>
    private static string Uuid(Random random, bool awkward)
    {
        var bytes = new byte[16];
        random.NextBytes(bytes);
        var text = Convert.ToBase64String(bytes).Replace('/', 'x'); // only the chosen ones carry slashes
        if (!awkward) return random.Next(3) == 0 ? text[..5] + "/" + text[6..] : text; // a single '/' inside is fine single-encoded
        return random.Next(2) == 0 ? "/" + text[1..] : text[..7] + "//" + text[9..];
    }

    private static string UserId(Random random)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        return new string(Enumerable.Range(0, 22).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray());
    }
}
