using System.Globalization;

namespace CallImport.Testing.Fakes.RingCentral;

/// <summary>
/// Deterministic calls from a seed: external Inbound/Outbound calls (one record each), internal calls
/// (two records sharing one telephony session and one recording), short calls under 30 s (never recorded)
/// and recordings of a few kilobytes of seeded bytes.
/// </summary>
internal static class RingCentralFakeSeed
{
    private static readonly string[] Names = ["Ada Lovelace", "Ben Okafor", "Chloe Nguyen", "Dev Patel", "Eva Rossi", "Femi Schmidt", "Gus Tanaka", "Hana Walsh"];
    private static readonly string?[] Companies = ["GLOBEX CORP", "INITECH", "UMBRELLA", "HOOLI", null, "WIRELESS CALLER"];
    private static readonly string[] Locations = ["San Francisco, CA", "Austin, TX", "New York, NY", "Toronto, ON"];

    /// <summary>The account's users (extensions): they exist whether or not they made calls.</summary>
    public static RingCentralFakeParty[] Extensions() =>
        [.. Enumerable.Range(0, Names.Length)
            .Select(i => new RingCentralFakeParty($"+1650555{1000 + i:D4}", Names[i], (62264425004L + i * 1000).ToString(CultureInfo.InvariantCulture), (101 + i).ToString(CultureInfo.InvariantCulture)))];

    public static IReadOnlyList<RingCentralFakeCall> Calls(RingCentralFakeOptions options)
    {
        var random = new Random(options.Seed);
        var extensions = Extensions();
        var span = options.CallsTo - options.CallsFrom;
        var calls = new List<RingCentralFakeCall>(options.CallCount);
        for (var i = 0; i < options.CallCount; i++)
        {
            var slot = span / Math.Max(1, options.CallCount);
            var start = options.CallsAtBounds && i == 0 ? options.CallsFrom
                : options.CallsAtBounds && i == options.CallCount - 1 ? options.CallsTo
                : options.CallsFrom + TimeSpan.FromSeconds(Math.Floor((span * i / options.CallCount + slot * random.NextDouble() * 0.5).TotalSeconds));
            var duration = random.NextDouble() < options.ShortCallFraction ? random.Next(0, 30) : random.Next(30, 3600);
            var recording = duration >= 30 && random.NextDouble() < options.RecordedFraction
                ? new RingCentralFakeRecording(Number(random, 11), random.Next(2) == 0 ? "audio/mpeg" : "audio/wav", Bytes(random))
                : null;
            var telephonySessionId = "s-a" + Hex(random, 20) + "z";
            var sessionId = Number(random, 12);
            var records = random.NextDouble() < options.InternalCallFraction
                ? Internal(random, extensions, telephonySessionId, sessionId, start, duration, recording)
                : [External(random, extensions, telephonySessionId, sessionId, start, duration, recording)];
            calls.Add(new RingCentralFakeCall(telephonySessionId, sessionId, start, duration, records, recording));
        }
        return calls;
    }

    private static RingCentralFakeRecord External(Random random, RingCentralFakeParty[] extensions, string telephonySessionId, string sessionId, DateTimeOffset start, int duration, RingCentralFakeRecording? recording)
    {
        var employee = extensions[random.Next(extensions.Length)];
        var outside = new RingCentralFakeParty($"+1{random.Next(200, 999)}555{random.Next(0, 9999):D4}", Companies[random.Next(Companies.Length)], Location: Locations[random.Next(Locations.Length)]);
        var inbound = random.Next(2) == 0;
        return new RingCentralFakeRecord(
            RecordId(random), sessionId, telephonySessionId, start, duration,
            inbound ? "Inbound" : "Outbound",
            duration < 30 && inbound && random.Next(2) == 0 ? "Missed" : inbound ? "Accepted" : "Call connected",
            inbound ? outside : employee,
            inbound ? employee : outside,
            employee.ExtensionId!,
            recording);
    }

    /// <summary>The caller's Outbound record and the callee's Inbound one, a second or two apart.</summary>
    private static List<RingCentralFakeRecord> Internal(Random random, RingCentralFakeParty[] extensions, string telephonySessionId, string sessionId, DateTimeOffset start, int duration, RingCentralFakeRecording? recording)
    {
        var caller = extensions[random.Next(extensions.Length)];
        var callee = extensions.Where(e => e != caller).ElementAt(random.Next(extensions.Length - 1));
        var ring = random.Next(1, 3);
        return
        [
            new(RecordId(random), sessionId, telephonySessionId, start, duration, "Outbound", "Call connected", caller, callee, caller.ExtensionId!, recording),
            new(RecordId(random), sessionId, telephonySessionId, start.AddSeconds(ring), Math.Max(0, duration - ring), "Inbound", "Accepted", caller, callee, callee.ExtensionId!, recording),
        ];
    }

    /// <summary>A few kilobytes behind an ID3-like header, so the bytes differ per recording.</summary>
    private static byte[] Bytes(Random random)
    {
        var bytes = new byte[random.Next(2_000, 12_000)];
        random.NextBytes(bytes);
        "ID3"u8.CopyTo(bytes);
        return bytes;
    }

    /// <summary>Call-log record ids look like <c>Y3s3mNqSXeJ7cUA</c>.</summary>
    private static string RecordId(Random random)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        return string.Create(15, random, (span, r) => { for (var i = 0; i < span.Length; i++) span[i] = alphabet[r.Next(alphabet.Length)]; });
    }

    private static string Number(Random random, int digits) =>
        string.Concat(Enumerable.Range(0, digits).Select(i => (char)('0' + (i == 0 ? random.Next(1, 10) : random.Next(10)))));

    private static string Hex(Random random, int digits) =>
        string.Concat(Enumerable.Range(0, digits).Select(_ => "0123456789abcdef"[random.Next(16)]));
}
