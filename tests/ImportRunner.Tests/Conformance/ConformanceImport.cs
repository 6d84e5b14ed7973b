using System.Security.Cryptography;
using CallImport.ImportRunner.Limits;
using CallImport.ImportRunner.Platforms;
using CallImport.ImportRunner.Processing;
using CallImport.ImportRunner.Storage;
using CallImport.Store;
using CallImport.Testing.Fakes;
using Microsoft.Extensions.Logging;

namespace CallImport.ImportRunner.Tests.Conformance;

/// <summary>What one call became, as the store holds it.</summary>
public sealed record ImportedCall(string Id, string State, string? Outcome, bool? Retryable, string? LastError, string? MediaUri, bool HasTranscript, bool TranscriptionQueued);

/// <summary>
/// One import of a conformance case, driven as the runner drives it: the platform's factory from the catalog,
/// its HTTP pipeline (limits, auth, retries), the real <see cref="CallProcessor"/> and <see cref="ImportRun"/>
/// against the real PostgreSQL, media in a real local storage folder. Only limits and retry timings are test-speed.
/// </summary>
public sealed class ConformanceImport : IAsyncDisposable
{
    private readonly ImportDatabase _database;

    private ConformanceImport(ImportDatabase database, string importId, string customerId, string platform, string mediaRoot)
    {
        (_database, ImportId, CustomerId, Platform, MediaRoot) = (database, importId, customerId, platform, mediaRoot);
    }

    public string ImportId { get; }
    public string CustomerId { get; }
    public string Platform { get; }
    public string MediaRoot { get; }
    public CapturedLog Log { get; } = new();
    public ImportRunSummary Summary { get; private set; } = null!;
    public int ExitCode { get; private set; }
    public RequestStatistics Requests { get; } = new();
    /// <summary>The platform context the run used, to look at what it still holds once the run ended.</summary>
    public IImportContext Context { get; private set; } = null!;

    public static async Task<ConformanceImport> RunAsync(ImportDatabase database, IVendorFake fake, VendorFakeScenario scenario, ConformanceSettings settings)
    {
        var import = Create(database, fake);
        await import.RunAsync(fake, scenario, settings);
        return import;
    }

    /// <summary>An import not run yet: for a case whose first run is to throw, with the import still there to look at.</summary>
    public static ConformanceImport Create(ImportDatabase database, IVendorFake fake)
    {
        var id = Guid.NewGuid().ToString("N")[..12];
        return new ConformanceImport(database, $"conformance-{fake.Platform}-{id}", $"customer-{id}", fake.Platform,
            Directory.CreateTempSubdirectory("conformance-media-").FullName);
    }

    /// <summary>Another run of the same import, as a new runner process would make it (a fresh context and pipeline).</summary>
    public Task RunAgainAsync(IVendorFake fake, VendorFakeScenario scenario, ConformanceSettings settings) => RunAsync(fake, scenario, settings);

    private int _runs;

    /// <summary>A run of this import (its first, or another): what it throws is the test's to see.</summary>
    public async Task RunAsync(IVendorFake fake, VendorFakeScenario scenario, ConformanceSettings settings)
    {
        _runs++;
        using var loggerFactory = LoggerFactory.Create(builder => builder.SetMinimumLevel(LogLevel.Debug).AddProvider(Log));
        var time = TimeProvider.System;
        var factory = ImportContextCatalog.Discover().Get(Platform);
        var credentials = new PlatformCredentials(settings.Credentials ?? fake.ValidCredentials);
        var limits = settings.VendorLimits ? factory.Limits : PlatformLimits.Unlimited;
        using var connection = PlatformConnection.Open(factory, credentials, new ImportContextServices(time, loggerFactory), new PlatformConnectionOptions
        {
            Limits = limits,
            // As in the runner: the limit groups' windows and the day's quota live in PostgreSQL.
            SharedBudget = _database.DataSource,
            Retry = settings.Retry,
            Statistics = Requests,
        });
        Context = settings.Context?.Invoke(connection.Context) ?? connection.Context;
        var store = new ImportStore(_database.DataSource, time);
        var options = new ImportRunOptions
        {
            ImportId = ImportId,
            BatchId = ImportId,
            RunId = $"run-{_runs}",
            CustomerId = CustomerId,
            Platform = Platform,
            From = scenario.From,
            To = scenario.To,
            InternalDomains = ["acme.com"],
            Concurrency = settings.Concurrency,
            MaxAttemptsPerCall = settings.MaxAttemptsPerCall,
            TakeCallsWhileListing = settings.TakeCallsWhileListing ?? limits.IsUnlimited,
            StopAt = settings.StopAt,
        };
        if (settings.PendingPageSize is { } pageSize) options = options with { PendingPageSize = pageSize };
        var counters = new ImportCounters();
        var reporter = new RunStatisticsReporter(counters, Requests);
        using var media = new LocalMediaStorage(MediaRoot);
        await using var commits = settings.GroupCommitClock is { } commitClock
            ? new GroupCommit(store, ImportId, GroupCommit.BacklogFor(options.Concurrency), commitClock, media)
            : null;
        var processor = new CallProcessor(Context, media, store, new MetadataNormaliser(options.InternalDomains), options,
            loggerFactory.CreateLogger("CallImport.Processor"), statistics: reporter, commits: commits);
        var run = new ImportRun(Context, processor, store, options, counters, time, loggerFactory.CreateLogger("CallImport.Run"),
            connection.Quota is { } quota ? () => quota.NextReset : null, Requests, statistics: reporter);
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        (Summary, ExitCode) = await run.RunAsync(deadline.Token);
    }

    /// <summary>Every call the run listed, with its engagement when one was stored.</summary>
    public async Task<IReadOnlyList<ImportedCall>> CallsAsync()
    {
        await using var command = _database.DataSource.CreateCommand("""
            SELECT c.source_call_id, c.state, c.outcome, c.retryable, c.last_error, e.media_uri, e.transcript IS NOT NULL,
                   EXISTS (SELECT 1 FROM transcription_requests t WHERE t.engagement_id = e.id)
            FROM import_calls c
            LEFT JOIN engagements e ON e.customer_id = $2 AND e.import_source = $3 AND e.source_call_id = c.source_call_id
            WHERE c.import_id = $1
            ORDER BY c.source_call_id
            """);
        command.Parameters.AddWithValue(ImportId);
        command.Parameters.AddWithValue(CustomerId);
        command.Parameters.AddWithValue(Platform);
        await using var reader = await command.ExecuteReaderAsync();
        var calls = new List<ImportedCall>();
        while (await reader.ReadAsync())
            calls.Add(new ImportedCall(reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetBoolean(3), reader.IsDBNull(4) ? null : reader.GetString(4),
                reader.IsDBNull(5) ? null : reader.GetString(5), reader.GetBoolean(6), reader.GetBoolean(7)));
        return calls;
    }

    /// <summary>Engagements stored for this import's customer (each call at most once).</summary>
    public Task<long> EngagementCountAsync() =>
        _database.CountAsync("SELECT count(*) FROM engagements WHERE customer_id = $1 AND import_source = $2", CustomerId, Platform);

    /// <summary>Why the import could not go on (kind, message), when it could not.</summary>
    public async Task<(string? Kind, string? Message)> StartErrorAsync()
    {
        await using var command = _database.DataSource.CreateCommand("SELECT start_error_kind, start_error FROM imports WHERE import_id = $1");
        command.Parameters.AddWithValue(ImportId);
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync()
            ? (reader.IsDBNull(0) ? null : reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1))
            : (null, null);
    }

    /// <summary>SHA-256 of the stored object a media URI points at.</summary>
    public static string StoredSha256(string mediaUri)
    {
        var path = new Uri(mediaUri).LocalPath;
        using var file = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(file));
    }

    public ValueTask DisposeAsync()
    {
        try { Directory.Delete(MediaRoot, recursive: true); } catch (IOException) { }
        return ValueTask.CompletedTask;
    }
}
