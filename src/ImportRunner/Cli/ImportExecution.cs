using System.Net.Sockets;
using System.Text.Json;
using CallImport.ImportJobs;
using CallImport.ImportRunner.Limits;
using CallImport.ImportRunner.Platforms;
using CallImport.ImportRunner.Processing;
using CallImport.ImportRunner.Storage;
using CallImport.Store;
using Microsoft.Extensions.Logging;
using Npgsql;
using Serilog.Extensions.Logging;

namespace CallImport.ImportRunner.Cli;

/// <summary>
/// Runs the <c>import</c> command: opens the database (checking its schema: runners never migrate), the storage
/// (checking it is writable) and the platform's context
/// behind the rate-limited, retrying HTTP pipeline, runs the import and reports. Problems that stop the import
/// from starting get a message that says what to do and exit code 3; credentials never reach any output.
/// </summary>
public sealed class ImportExecution(TextWriter stdout, TextWriter stderr, TimeProvider time)
{
    public async Task<int> RunAsync(ImportArguments args, CancellationToken stopToken)
    {
        // The database's first connection and schema check (a third of a start, much of it waiting on the network)
        // go on while logging, credentials and storage are set up; their outcome is read in the same order as before.
        await using var database = DatabaseStart.Begin(args.Database, stopToken);
        var onTerminal = !args.JsonOutput && !Console.IsErrorRedirected;
        await using var serilog = RunnerLogging.Create(onTerminal, args.Verbose);
        using var loggerFactory = new SerilogLoggerFactory(serilog);
        var logger = loggerFactory.CreateLogger("ImportRunner");

        IImportContextFactory factory;
        PlatformCredentials credentials;
        IMediaStorage storage;
        try
        {
            factory = ImportContextCatalog.Shipped.Get(args.Platform);
            credentials = args.CredentialsFile is { } file
                ? PlatformCredentials.FromJsonFile(PathMapping.Resolve(file))
                : PlatformCredentials.FromDirectory(PathMapping.Resolve(args.CredentialsDirectory!));
            credentials.RequireKeys(factory.RequiredCredentialKeys, ImportPlatforms.AlternativeSecretKeys(factory.Platform));
            storage = MediaStorageLocation.Open(args.Storage);
        }
        catch (UnknownPlatformException e)
        {
            // A platform this runner does not carry: a settings problem for the operator to show, not a crash to repeat.
            await RecordSettingsRefusedAsync(args, e.Message, logger, stopToken);
            return CannotStart(logger, e.Message);
        }
        catch (Exception e) when (e is CredentialsRejectedException or ArgumentException or IOException or UnauthorizedAccessException)
        {
            return CannotStart(logger, e.Message);
        }

        if (database.Unusable is { } unusable)
            return CannotStart(logger, unusable.Message);
        var dataSource = database.DataSource!;
        var where = RunnerDatabase.Where(args.Database);
        var store = new ImportStore(dataSource, time);
        var statistics = new RequestStatistics();
        // The platform's pipeline is built while the schema check runs (nothing is sent yet); a refusal is
        // reported after the database's and the storage's problems, as when one came after the other.
        PlatformConnection? connection = null;
        PlatformLimits? limits = null;
        Exception? refused = null;
        try
        {
            limits = PlatformLimitsOverride.Apply(factory.Limits, logger).LoweredTo(args.RequestsPerSecond, args.RequestsPerDay);
            // One budget per credential: the limit groups' windows and the day's quota live in the database.
            connection = PlatformConnection.Open(factory, credentials, new ImportContextServices(time, loggerFactory), new PlatformConnectionOptions
            {
                Limits = limits,
                SharedBudget = dataSource,
                Retry = RetrySettingsFromEnvironment(),
                Statistics = statistics,
            });
        }
        catch (Exception e) when (e is CredentialsRejectedException or ArgumentException)
        {
            refused = e;
        }
        using var ownedConnection = connection;
        try
        {
            await database.SchemaChecked;
            await storage.CheckWritableAsync(stopToken);
        }
        catch (RunnerDatabase.UnusableException e)
        {
            return CannotStart(logger, e.Message);
        }
        catch (StorageUnusableException e)
        {
            return CannotStart(logger, e.Message);
        }
        catch (Exception e) when (e is NpgsqlException or SocketException or TimeoutException)
        {
            return CannotStart(logger, $"Cannot use the database at {where}: {e.Message}. Check --database or ${ImportArguments.DatabaseVariable}.");
        }

        switch (refused)
        {
            case CredentialsRejectedException:
                return CannotStart(logger, refused.Message);
            case ArgumentException:
                // Settings the platform refuses (a Secret value such as baseUrl): recorded, so the operator stalls at once with this message.
                if (args.ImportId is not null)
                    await RecordSettingsAsync(store, args, refused.Message, stopToken);
                return CannotStart(logger, refused.Message);
        }
        var context = connection!.Context;
        var quota = connection.Quota;

        var options = new ImportRunOptions
        {
            ImportId = args.EffectiveImportId,
            BatchId = args.BatchId ?? args.EffectiveImportId,
            RunId = args.RunId ?? $"run-{time.GetUtcNow():yyyyMMddHHmmss}-{Guid.NewGuid().ToString("N")[..6]}",
            CustomerId = args.CustomerId,
            Platform = factory.Platform,
            From = args.From,
            To = args.To,
            Filters = args.Filters,
            InternalDomains = args.InternalDomains,
            Concurrency = args.Concurrency,
            MaxAttemptsPerCall = args.MaxAttemptsPerCall,
            StopAt = args.StopAt,
            TakeCallsWhileListing = limits!.IsUnlimited,
        };
        var counters = new ImportCounters();
        var outage = new DatabaseOutage(DatabaseOutage.LimitFromEnvironment(), time, loggerFactory.CreateLogger("CallImport.Database"));
        var reporter = new RunStatisticsReporter(counters, statistics);
        // Finished calls are committed several per transaction (one round trip), each call counted done once its commit is.
        await using var commits = new GroupCommit(store, options.ImportId, GroupCommit.BacklogFor(options.Concurrency), time);
        var processor = new CallProcessor(context, storage, store, new MetadataNormaliser(args.InternalDomains), options,
            loggerFactory.CreateLogger("CallImport.Processor"), outage, reporter, commits);
        var run = new ImportRun(context, processor, store, options, counters, time, loggerFactory.CreateLogger("CallImport.Run"),
            quota is null ? null : () => quota.NextReset, statistics, outage, reporter);

        ImportRunSummary summary;
        int exitCode;
        await using (var progress = onTerminal ? new ProgressDisplay(counters, statistics, connection.Limiter, stderr) : null)
        {
            progress?.Start();
            try
            {
                (summary, exitCode) = await run.RunAsync(stopToken);
            }
            catch (InvalidOperationException e) when (e.Message.Contains("already exists", StringComparison.Ordinal))
            {
                return CannotStart(logger, e.Message);
            }
            catch (Exception e) when (DatabaseOutage.IsOutage(e) || e is NpgsqlException)
            {
                // The database failed before the run could count anything (its start-up statements).
                logger.LogError("The database at {Database} failed: {Error}", where, e.Message);
                await stderr.WriteLineAsync($"error: the database at {where} failed: {e.Message}. Run again once it is back.");
                return ExitCodes.Error;
            }
        }

        if (args.JsonOutput)
            await stdout.WriteLineAsync(JsonSerializer.Serialize(summary with { Diagnostics = RunnerDiagnostics.Collect(counters, store.Commands, statistics.Requests, commits.Commits) }, RunnerJson.Default.ImportRunSummary));
        else
            await stdout.WriteLineAsync($"{summary.Total} calls: {summary.Processed} imported, {summary.Skipped} already imported, {summary.Failed} failed, {summary.Pending} pending ({summary.DurationSeconds:0.0} s, {statistics.Requests} requests, {statistics.Throttled} throttled)"
                + (summary.StopReason is { } reason ? $"; stopped: {reason}" : ""));
        return exitCode;
    }

    /// <summary>For an operator's run (one with --import-id): the store records why the settings were refused.</summary>
    private static async Task RecordSettingsRefusedAsync(ImportArguments args, string message, ILogger logger, CancellationToken stopToken)
    {
        if (args.ImportId is null)
            return;
        try
        {
            await using var dataSource = new NpgsqlDataSourceBuilder(args.Database) { Name = "callimport" }.Build();
            await SchemaMigrations.ApplyAsync(dataSource, logger, stopToken);
            await RecordSettingsAsync(new ImportStore(dataSource, TimeProvider.System), args, message, stopToken);
        }
        catch (Exception e) when (e is NpgsqlException or SocketException or TimeoutException or EvolveDb.EvolveException or ArgumentException or InvalidOperationException)
        {
            logger.LogWarning("Could not record the refused settings in the store: {Error}", e.Message);
        }
    }

    private static async Task RecordSettingsAsync(ImportStore store, ImportArguments args, string message, CancellationToken stopToken)
    {
        await store.EnsureImportAsync(new ImportDefinition(args.ImportId!, args.CustomerId, args.Platform, args.From, args.To), stopToken);
        await store.RecordStartErrorAsync(args.ImportId!, "settings", message, CancellationToken.None);
    }

    private int CannotStart(ILogger logger, string message)
    {
        logger.LogError("The import cannot start: {Reason}", message);
        stderr.WriteLine($"error: {message}");
        return ExitCodes.CouldNotStart;
    }

    /// <summary>Tuning for the HTTP retries (tests shorten them): CALLIMPORT_HTTP_MAX_RETRIES, _RETRY_DELAY_MS, _TIMEOUT_SECONDS.</summary>
    private static RequestRetrySettings RetrySettingsFromEnvironment()
    {
        var settings = new RequestRetrySettings();
        if (int.TryParse(Environment.GetEnvironmentVariable("CALLIMPORT_HTTP_MAX_RETRIES"), out var retries)) settings = settings with { MaxRetries = retries };
        if (int.TryParse(Environment.GetEnvironmentVariable("CALLIMPORT_HTTP_RETRY_DELAY_MS"), out var delay)) settings = settings with { BaseDelay = TimeSpan.FromMilliseconds(delay) };
        if (int.TryParse(Environment.GetEnvironmentVariable("CALLIMPORT_HTTP_TIMEOUT_SECONDS"), out var timeout)) settings = settings with { AttemptTimeout = TimeSpan.FromSeconds(timeout) };
        return settings;
    }
}
