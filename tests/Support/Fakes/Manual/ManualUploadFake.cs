using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace CallImport.Testing.Fakes.Manual;

/// <summary>
/// The "vendor" of manual uploads: a real folder a customer handed over, with recordings, a
/// <c>manifest.csv</c> and WebVTT sidecar transcripts, built from a <see cref="VendorFakeScenario"/>.
/// Malformed calls are manifest rows whose start time does not parse. No HTTP, so nothing to throttle or refuse.
/// </summary>
public sealed class ManualUploadFake : IVendorFake
{
    private readonly string _root;

    private ManualUploadFake(string root, IReadOnlyList<FakeCallTruth> calls)
    {
        _root = root;
        Calls = calls;
    }

    public string Platform => "manual";

    public FakeCapabilities Capabilities => FakeCapabilities.Media | FakeCapabilities.Transcripts | FakeCapabilities.MalformedCalls | FakeCapabilities.CallsAtBounds;

    public IReadOnlyDictionary<string, string> ValidCredentials => new Dictionary<string, string> { ["location"] = _root };

    /// <summary>A folder that does not exist: the import cannot start.</summary>
    public IReadOnlyDictionary<string, string> RefusedCredentials => new Dictionary<string, string> { ["location"] = _root + "-missing" };

    public IReadOnlyList<FakeCallTruth> Calls { get; }
    public FakeTrafficLog Traffic { get; } = new();
    public IReadOnlyList<FakeLimit> Limits => [];

    public string? WhyNot(FakeCapabilities knob) =>
        "manual uploads are a folder the customer handed over: no HTTP, so no credentials to refuse, limits, 5xx, stalls, tokens or signed URLs";

    public static ManualUploadFake Create(VendorFakeScenario scenario)
    {
        var root = Path.Combine(Path.GetTempPath(), "callimport-manual-fake-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(root);
        var random = new Random(scenario.Seed);
        var span = scenario.To - scenario.From;
        var starts = Enumerable.Range(0, scenario.Calls)
            .Select(i => scenario.From + TimeSpan.FromSeconds(Math.Floor((span * (i + 0.5) / Math.Max(1, scenario.Calls)).TotalSeconds)))
            .ToList();
        if (scenario.CallsAtBounds) starts.AddRange([scenario.From, scenario.To]);
        var malformed = Enumerable.Range(0, starts.Count).OrderBy(_ => random.Next()).Take(scenario.MalformedCalls).ToHashSet();

        var manifest = new StringBuilder("file,id,title,start_time,duration\n");
        var calls = new List<FakeCallTruth>();
        for (var i = 0; i < starts.Count; i++)
        {
            var id = $"upload-{i + 1:D5}";
            var file = $"recordings/{id}.mp3";
            var hasMedia = random.NextDouble() < scenario.WithMediaFraction;
            var hasTranscript = hasMedia && random.NextDouble() < scenario.WithTranscriptFraction;
            if (!hasMedia) continue; // an upload is its recording: without one there is no call
            var bytes = new byte[random.Next(2048, 16384)];
            random.NextBytes(bytes);
            Directory.CreateDirectory(Path.Combine(root, "recordings"));
            File.WriteAllBytes(Path.Combine(root, file), bytes);
            if (hasTranscript)
                File.WriteAllText(Path.Combine(root, "recordings", id + ".vtt"), $"WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n<v Ada Lovelace>Hello from call {i + 1}.\n");
            var start = malformed.Contains(i) ? "yesterday-ish" : starts[i].ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
            manifest.Append(CultureInfo.InvariantCulture, $"{file},{id},Uploaded call {i + 1},{start},{random.Next(60, 3600)}\n");
            calls.Add(new FakeCallTruth(id, starts[i], Convert.ToHexStringLower(SHA256.HashData(bytes)), hasTranscript, malformed.Contains(i)));
        }
        File.WriteAllText(Path.Combine(root, "manifest.csv"), manifest.ToString());
        return new ManualUploadFake(root, calls);
    }

    public ValueTask DisposeAsync()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder must not fail a test.
        }
        return ValueTask.CompletedTask;
    }
}
