using System.Globalization;
using System.Text;

namespace CallImport.Testing.Fakes.Gong;

/// <summary>
/// Deterministic calls from a seed: 19/20-digit string ids (most beyond a 64-bit integer, some pairs that
/// differ only in their last digits so parsing them as floating point merges them), web conferences
/// matched on their scheduled time, internal/external/unknown parties with speaker ids, transcripts,
/// recordings of distinct bytes, and some private calls.
/// </summary>
internal static class GongFakeSeed
{
    private static readonly string[] Companies = ["Globex", "Initech", "Umbrella", "Hooli", "Stark Industries", "Wayne Enterprises"];
    private static readonly string[] CustomerDomains = ["globex.com", "initech.io", "umbrella.co", "hooli.xyz", "stark.example", "wayne.example"];
    private static readonly string[] Kinds = ["Discovery call", "Demo", "Pricing review", "Onboarding", "Quarterly review", "Renewal"];
    private static readonly string[] FirstNames = ["Ada", "Ben", "Chloe", "Dev", "Eva", "Femi", "Gus", "Hana", "Ivan", "Jo", "Kai", "Lena"];
    private static readonly string[] LastNames = ["Lovelace", "Okafor", "Nguyen", "Patel", "Rossi", "Schmidt", "Tanaka", "Walsh"];
    private static readonly string[] Topics = ["Call Setup", "Pricing", "Next Steps", "Product Demo"];
    private static readonly string[] Lines =
    [
        "Thanks for making the time today.",
        "Could you walk us through the current process?",
        "We record about two hundred calls a week.",
        "Pricing depends on the number of seats.",
        "Let's schedule a follow-up next Tuesday.",
        "That sounds great, send over the proposal.",
    ];

    public static IReadOnlyList<GongFakeCall> Calls(GongFakeOptions options)
    {
        var random = new Random(options.Seed);
        var users = Enumerable.Range(0, Math.Max(1, options.UserCount)).Select(_ => NewId(random)).ToArray();
        var span = options.CallsTo - options.CallsFrom;
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var calls = new List<GongFakeCall>(options.CallCount + 2);
        string? previousId = null;
        for (var i = 0; i < options.CallCount; i++)
        {
            var slot = span / Math.Max(1, options.CallCount);
            var offset = TimeSpan.FromSeconds(Math.Floor((span * i / options.CallCount + slot * random.NextDouble() * 0.5).TotalSeconds));
            // Every fifth id is its predecessor's with other last digits: equal as a double, distinct as text.
            var id = i % 5 == 4 && previousId is not null ? Neighbour(previousId, random) : NewId(random);
            while (!ids.Add(id)) id = NewId(random);
            previousId = id;
            calls.Add(Call(random, options, users, id, options.CallsFrom + offset, i));
        }
        if (options.CallsAtBounds)
        {
            calls.Insert(0, Call(random, options, users, Unique(ids, random), options.CallsFrom, -1, conference: false));
            calls.Add(Call(random, options, users, Unique(ids, random), options.CallsTo, -2, conference: false));
        }
        return calls;
    }

    private static GongFakeCall Call(Random random, GongFakeOptions options, string[] users, string id, DateTimeOffset matchedAt, int index, bool? conference = null)
    {
        var company = random.Next(Companies.Length);
        var isConference = conference ?? random.Next(3) != 0;
        // A web conference is matched on its scheduled time; it may start a few minutes either side.
        var started = isConference && options.ConferenceStartSkew ? matchedAt + TimeSpan.FromSeconds(random.Next(-300, 600)) : matchedAt;
        var duration = random.Next(3 * 60, 60 * 60);
        var primaryUser = users[random.Next(users.Length)];
        var parties = Parties(random, options.InternalDomain, CustomerDomains[company], primaryUser, users);
        var hasMedia = random.NextDouble() < options.MediaFraction;
        var hasTranscript = random.NextDouble() < options.TranscriptFraction;
        var isPrivate = random.NextDouble() < options.PrivateFraction;
        var audio = hasMedia ? Media(random, options.MediaBytes, id, "audio") : null;
        var video = hasMedia && random.Next(3) == 0 ? Media(random, options.MediaBytes * 2, id, "video") : null;
        var number = index >= 0 ? $" #{index + 1}" : index == -1 ? " (at the range's start)" : " (at the range's end)";
        return new GongFakeCall(
            id,
            $"{Companies[company]} — {Kinds[random.Next(Kinds.Length)]}{number}",
            isConference ? matchedAt : null,
            started,
            duration,
            isConference ? "Conference" : random.Next(2) == 0 ? "Outbound" : "Inbound",
            parties.Any(p => p.Affiliation == "External") ? "External" : "Internal",
            isConference ? "Zoom" : "Outreach",
            options.WorkspaceIds[random.Next(options.WorkspaceIds.Count)],
            primaryUser,
            isPrivate,
            parties,
            hasTranscript ? Transcript(random, parties, duration * 1000L) : [],
            audio,
            video);
    }

    private static List<GongFakeParty> Parties(Random random, string internalDomain, string customerDomain, string primaryUser, string[] users)
    {
        var speaker = 0;
        var parties = new List<GongFakeParty> { Person(random, internalDomain, "Internal", primaryUser, ++speaker) };
        var others = random.Next(1, 5);
        for (var i = 0; i < others; i++)
        {
            parties.Add(random.Next(10) switch
            {
                0 => Person(random, internalDomain, "Internal", users[random.Next(users.Length)], ++speaker),
                1 => Person(random, null, "External", null, ++speaker),         // joined without an email
                2 => Phone(random, ++speaker),                                   // a dial-in Gong could not place
                3 => Person(random, customerDomain, "Unknown", null, ++speaker), // an email, but Gong does not say whose
                _ => Person(random, customerDomain, "External", null, ++speaker),
            });
        }
        return parties;
    }

    private static GongFakeParty Person(Random random, string? domain, string affiliation, string? userId, int speaker)
    {
        var first = FirstNames[random.Next(FirstNames.Length)];
        var last = LastNames[random.Next(LastNames.Length)];
        var email = domain is null ? null : $"{first.ToLowerInvariant()}.{last.ToLowerInvariant()}@{domain}";
        return new GongFakeParty(NewId(random), $"{first} {last}", email, null, affiliation == "Internal" ? "Account Executive" : null,
            userId, SpeakerId(random, speaker), affiliation);
    }

    private static GongFakeParty Phone(Random random, int speaker) =>
        new(NewId(random), null, null, $"+1{random.Next(200, 999)}555{random.Next(1000, 9999)}", null, null, SpeakerId(random, speaker), "Unknown");

    private static List<GongFakeMonologue> Transcript(Random random, List<GongFakeParty> parties, long durationMs)
    {
        var count = random.Next(3, 7);
        var step = durationMs / count;
        return Enumerable.Range(0, count).Select(i =>
        {
            var speaker = parties[random.Next(parties.Count)];
            var start = i * step + random.Next(0, 1000);
            var sentences = Enumerable.Range(0, random.Next(1, 3))
                .Select(s => new GongFakeSentence(start + s * 4000, start + s * 4000 + 3500, Lines[random.Next(Lines.Length)]))
                .ToList();
            return new GongFakeMonologue(speaker.SpeakerId, random.Next(3) == 0 ? null : Topics[random.Next(Topics.Length)], sentences);
        }).ToList();
    }

    /// <summary>Distinct bytes per call and kind, starting like an MP3/MP4 so a glance at them makes sense.</summary>
    private static byte[] Media(Random random, int size, string id, string kind)
    {
        var bytes = new byte[Math.Max(64, size + random.Next(0, 4096))];
        random.NextBytes(bytes);
        var header = Encoding.ASCII.GetBytes(kind == "audio" ? $"ID3 gong-fake {id} " : $"ftypmp42 gong-fake {id} ");
        header.CopyTo(bytes, 0);
        return bytes;
    }

    /// <summary>Speaker ids are numeric strings like call ids, distinct per party.</summary>
    private static string SpeakerId(Random random, int speaker) =>
        (random.NextInt64(1_000_000_000_000, 9_000_000_000_000) * 10 + speaker % 10).ToString(CultureInfo.InvariantCulture);

    private static string Unique(HashSet<string> ids, Random random)
    {
        string id;
        do id = NewId(random); while (!ids.Add(id));
        return id;
    }

    /// <summary>Mostly 20 digits (beyond long.MaxValue; some beyond ulong.MaxValue too), some 19.</summary>
    private static string NewId(Random random)
    {
        var digits = random.Next(6) == 0 ? 19 : 20;
        var builder = new StringBuilder(digits);
        builder.Append((char)('1' + random.Next(digits == 20 ? 2 : 8)));
        while (builder.Length < digits) builder.Append((char)('0' + random.Next(10)));
        return builder.ToString();
    }

    private static string Neighbour(string id, Random random)
    {
        var last = id[^3..];
        string other;
        do other = random.Next(1000).ToString("D3", CultureInfo.InvariantCulture); while (other == last);
        return id[..^3] + other;
    }
}
