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

/// <summary>A started source: the runner's credentials and environment, and what the source served (-1: no HTTP).</summary>
public sealed record LoadFixture(string CredentialsFile, IReadOnlyDictionary<string, string> Environment, DateTimeOffset From, DateTimeOffset To,
    Func<long> RequestsServed, Func<IReadOnlyList<DateTimeOffset>> Arrivals, IAsyncDisposable? Resources)
{
    public bool HasHttp => RequestsServed() >= 0;
}

public static class LoadSources
{
    /// <summary>Requests/s the runner may send a zero-latency fake (the override is for fakes only).</summary>
    public const string FakeRequestsPerSecond = "1000";

    /// <summary>
    /// A manual folder (media, no HTTP), then every platform of the vendor-fake catalog over HTTP whose fake
    /// hands out recordings — or Grain's (Grain's API has no media) while none does. New fakes join by themselves.
    /// </summary>
    public static async Task<IReadOnlyList<ILoadSource>> DiscoverAsync()
    {
        var http = new List<ILoadSource>();
        foreach (var platform in VendorFakes.Platforms.Where(p => p != "manual").Order(StringComparer.Ordinal))
        {
            await using var probe = await VendorFakes.StartAsync(platform, new VendorFakeScenario { Calls = 1 });
            if (probe.Capabilities.HasFlag(FakeCapabilities.Media)) http.Add(new VendorFakeLoadSource(platform, HasMedia: true));
        }
        if (http.Count == 0 && VendorFakes.Has("grain")) http.Add(new VendorFakeLoadSource("grain", HasMedia: false));
        return [new ManualLoadSource(), .. http];
    }
}

/// <summary>A platform's vendor fake from the catalog (real HTTP, zero latency, no throttling).</summary>
public sealed record VendorFakeLoadSource(string Platform, bool HasMedia) : ILoadSource
{
    public string Name => $"{Platform} fake (HTTP, {(HasMedia ? "media" : "no media")})";

    public async Task<LoadFixture> StartAsync(BenchContext context, int calls)
    {
        var scenario = new VendorFakeScenario { Calls = calls, PageSize = 50 };
        var fake = await VendorFakes.StartAsync(Platform, scenario);
        var credentials = Path.Combine(context.WorkDirectory, $"{Platform}-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(credentials, System.Text.Json.JsonSerializer.Serialize(fake.ValidCredentials));
        return new LoadFixture(credentials, new Dictionary<string, string> { ["CALLIMPORT_PLATFORM_RPS_OVERRIDE"] = LoadSources.FakeRequestsPerSecond },
            scenario.From, scenario.To, () => fake.Traffic.Count, () => [.. fake.Traffic.Requests.Select(r => r.At).Order()], fake);
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
            () => -1, () => [], new FolderCleanup(folder));
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
