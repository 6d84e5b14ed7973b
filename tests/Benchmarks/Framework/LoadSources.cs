using CallImport.Testing.Fakes.Grain;

namespace CallImport.Benchmarks.Framework;

/// <summary>
/// Where the 10,000-call load test's calls come from: a zero-latency vendor fake over real HTTP, or a manual
/// upload folder (media, no HTTP). Another platform's fake becomes a source by implementing this (one class)
/// and joining <see cref="LoadSources.All"/>.
/// </summary>
public interface ILoadSource
{
    string Name { get; }
    string Platform { get; }
    Task<LoadFixture> StartAsync(BenchContext context, int calls);
}

/// <summary>A started source: the runner's credentials and environment, and what the source served.</summary>
public sealed record LoadFixture(string CredentialsFile, IReadOnlyDictionary<string, string> Environment, DateTimeOffset From, DateTimeOffset To,
    Func<long> RequestsServed, Func<IReadOnlyList<DateTimeOffset>> Arrivals, IAsyncDisposable? Resources, string? Storage = null)
{
    public bool HasHttp => RequestsServed() >= 0;
}

public static class LoadSources
{
    /// <summary>Requests/s the runner may send a zero-latency fake (the override is for fakes only).</summary>
    public const string FakeRequestsPerSecond = "1000";

    public static IReadOnlyList<ILoadSource> All { get; } = [new ManualLoadSource(), new GrainLoadSource()];
}

/// <summary>The Grain fake (metadata, participants, transcripts; Grain's API offers no media), no latency, no throttling.</summary>
public sealed class GrainLoadSource : ILoadSource
{
    public string Name => "Grain fake (HTTP, no media)";
    public string Platform => "grain";

    public async Task<LoadFixture> StartAsync(BenchContext context, int calls)
    {
        var fake = await GrainFake.StartAsync(new GrainFakeOptions { RecordingCount = calls, PageSize = 50 });
        var credentials = Path.Combine(context.WorkDirectory, $"grain-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(credentials, fake.CredentialsJson());
        return new LoadFixture(credentials, new Dictionary<string, string> { ["CALLIMPORT_PLATFORM_RPS_OVERRIDE"] = LoadSources.FakeRequestsPerSecond },
            new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 2, 1, 0, 0, 0, TimeSpan.Zero),
            () => fake.Traffic.TotalRequests, () => fake.Traffic.Arrivals, fake);
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
