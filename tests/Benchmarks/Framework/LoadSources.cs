using CallImport.Testing.Fakes;

namespace CallImport.Benchmarks.Framework;

/// <summary>
/// Where the 10,000-call load test's calls come from: a zero-latency vendor fake over real HTTP, or a manual
/// upload folder (media, no HTTP). Any platform of the vendor-fake catalog is a source
/// (<see cref="VendorFakeLoadSource"/>); another kind is one class implementing this.
/// </summary>
public interface ILoadSource
{
    string Name { get; }
    string Platform { get; }
    Task<LoadFixture> StartAsync(BenchContext context, int calls);
}

/// <summary>A started source: the runner's credentials and environment, and every request it served (null: no HTTP).</summary>
public sealed record LoadFixture(string CredentialsFile, IReadOnlyDictionary<string, string> Environment, DateTimeOffset From, DateTimeOffset To,
    Func<IReadOnlyList<FakeRequest>>? Traffic, IAsyncDisposable? Resources)
{
    public bool HasHttp => Traffic is not null;
}

/// <summary>
/// What the load test runs: <see cref="Full"/> carry the spec's 10,000 calls; every other platform is a
/// <see cref="Samples"/> run, long enough to measure what a call costs it in requests (per limit group) and
/// time, which is all the projection under its declared limits needs.
/// </summary>
public sealed record LoadPlan(IReadOnlyList<ILoadSource> Full, IReadOnlyList<ILoadSource> Samples);

public static class LoadSources
{
    /// <summary>Requests/s the runner may send a zero-latency fake (the override is for fakes only).</summary>
    public const string FakeRequestsPerSecond = "1000";

    /// <summary>
    /// The platform whose fake carries the 10,000 calls with media: Gong is the common shape (an API that lists
    /// and describes calls in batches, recordings from signed URLs on a storage host), and it holds the most
    /// per call in the runner (its batches of details and media URLs), so target 5's memory bound is checked
    /// where it is tightest.
    /// </summary>
    public const string FullPlatform = "gong";

    /// <summary>
    /// The vendor's page size in the fakes: Gong's documented 100 (fakes whose client asks for its own size cap
    /// it here: RingCentral's 250, Zoom's 300, HubSpot's 200 become 100, a slight over-count of listing requests).
    /// </summary>
    public const int PageSize = 100;

    /// <summary>
    /// A manual folder (media, no HTTP: the reference without any vendor) and <see cref="FullPlatform"/>'s fake
    /// (else the first fake that hands out recordings) at full size; every other platform of the vendor-fake
    /// catalog as a sample. New fakes join by themselves.
    /// </summary>
    public static async Task<LoadPlan> PlanAsync()
    {
        var http = new List<VendorFakeLoadSource>();
        foreach (var platform in VendorFakes.Platforms.Where(p => p != "manual").Order(StringComparer.Ordinal))
        {
            await using var probe = await VendorFakes.StartAsync(platform, new VendorFakeScenario { Calls = 1 });
            http.Add(new VendorFakeLoadSource(platform, probe.Capabilities.HasFlag(FakeCapabilities.Media)));
        }
        var full = http.FirstOrDefault(s => s.Platform == FullPlatform && s.HasMedia) ?? http.FirstOrDefault(s => s.HasMedia);
        return new LoadPlan([new ManualLoadSource(), .. full is null ? Array.Empty<ILoadSource>() : [full]], [.. http.Where(s => s != full)]);
    }
}

/// <summary>A platform's vendor fake from the catalog (real HTTP, zero latency, no throttling).</summary>
public sealed record VendorFakeLoadSource(string Platform, bool HasMedia) : ILoadSource
{
    public string Name => $"{Platform} fake (HTTP, {(HasMedia ? "media" : "no media")})";

    public async Task<LoadFixture> StartAsync(BenchContext context, int calls)
    {
        var scenario = new VendorFakeScenario { Calls = calls, PageSize = LoadSources.PageSize };
        var fake = await VendorFakes.StartAsync(Platform, scenario);
        var credentials = Path.Combine(context.WorkDirectory, $"{Platform}-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(credentials, System.Text.Json.JsonSerializer.Serialize(fake.ValidCredentials));
        return new LoadFixture(credentials, new Dictionary<string, string> { ["CALLIMPORT_PLATFORM_RPS_OVERRIDE"] = LoadSources.FakeRequestsPerSecond },
            scenario.From, scenario.To, () => fake.Traffic.Requests, fake);
    }
}

/// <summary>A manual upload folder: every call has a recording (32 KiB each here), no HTTP at all.</summary>
public sealed class ManualLoadSource : ILoadSource
{
    public string Name => "manual upload (media, no HTTP)";
    public string Platform => "manual";

    public async Task<LoadFixture> StartAsync(BenchContext context, int calls)
    {
        var folder = await MediaFiles.CreateFolderAsync(context.WorkDirectory, calls, 32 * 1024);
        return new LoadFixture(MediaFiles.ManualCredentials(context.WorkDirectory, folder), new Dictionary<string, string>(),
            new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2100, 1, 1, 0, 0, 0, TimeSpan.Zero),
            null, new FolderCleanup(folder));
    }

    private sealed class FolderCleanup(string folder) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
            return ValueTask.CompletedTask;
        }
    }
}
