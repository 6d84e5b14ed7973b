using CallImport.Store;
using CallImport.Testing.Postgres;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace CallImport.Benchmarks.Framework;

/// <summary>
/// What every section shares: the options, a scratch directory on the filesystem under test, a PostgreSQL of
/// the bench's own (fsync off as in the tests, pg_stat_statements loaded to count statements, its CPU readable)
/// and the runner program as it ships (published native AOT, run as a separate process).
/// </summary>
public sealed class BenchContext : IAsyncDisposable
{
    private BenchContext(BenchOptions options, string work, PostgresServer postgres, RunnerProgram runner)
    {
        Options = options;
        WorkDirectory = work;
        Postgres = postgres;
        Runner = runner;
    }

    public BenchOptions Options { get; }
    /// <summary>Scratch space for the section's files (removed at the end).</summary>
    public string WorkDirectory { get; }
    public PostgresServer Postgres { get; }
    public RunnerProgram Runner { get; }
    public string RepositoryRoot => RunnerProgram.RepositoryRoot;
    public string FileSystem => FileSystems.Describe(WorkDirectory);

    public static async Task<BenchContext> CreateAsync(BenchOptions options)
    {
        var work = Directory.CreateTempSubdirectory("callimport-bench-").FullName;
        var postgres = await PostgresServer.StartAsync(["shared_preload_libraries=pg_stat_statements", "pg_stat_statements.track_utility=on", "pg_stat_statements.track_planning=on"]);
        var runner = await RunnerProgram.PrepareAsync(options);
        return new BenchContext(options, work, postgres, runner);
    }

    /// <summary>A fresh database with the current schema (migrated as the operator would), and statement counting on.</summary>
    public async Task<string> CreateDatabaseAsync(string prefix)
    {
        var connectionString = await Postgres.CreateDatabaseAsync(prefix);
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await SchemaMigrations.ApplyAsync(dataSource, NullLogger.Instance, CancellationToken.None);
        await using var extension = dataSource.CreateCommand("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
        await extension.ExecuteNonQueryAsync();
        return connectionString;
    }

    /// <summary>Statements PostgreSQL executed in that database so far (BEGIN/COMMIT included), the bench's own reads excluded.</summary>
    public static async Task<long> StatementsAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            SELECT coalesce(sum(calls), 0)::bigint FROM pg_stat_statements
            WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
              AND query NOT ILIKE '%pg_stat_statements%' AND query NOT ILIKE '%bench-probe%'
            """, connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>CPU seconds the PostgreSQL server and its ended backends used so far (postmaster's own plus its reaped children).</summary>
    public async Task<double> PostgresCpuSecondsAsync()
    {
        await using var connection = new NpgsqlConnection(Postgres.AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SHOW data_directory", connection);
        var data = (string)(await command.ExecuteScalarAsync())!;
        var pid = File.ReadLines(Path.Combine(data, "postmaster.pid")).First().Trim();
        var fields = File.ReadAllText($"/proc/{pid}/stat").Split(')')[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        // After the ')' : state is field 3 of the full line; utime, stime, cutime, cstime are fields 14–17.
        var ticks = new[] { 11, 12, 13, 14 }.Sum(i => long.Parse(fields[i], System.Globalization.CultureInfo.InvariantCulture));
        return ticks / 100.0;
    }

    public string NewDirectory(string name) => Directory.CreateDirectory(Path.Combine(WorkDirectory, name + "-" + Guid.NewGuid().ToString("N")[..6])).FullName;

    public async ValueTask DisposeAsync()
    {
        await Postgres.DisposeAsync();
        try { Directory.Delete(WorkDirectory, recursive: true); } catch (IOException) { }
    }
}

public sealed record BenchOptions
{
    /// <summary>Smaller sizes for a quick look (`make bench BENCH_ARGS=--quick`).</summary>
    public bool Quick { get; init; }
    /// <summary>Measurements repeated this many times; the median is reported with min and max.</summary>
    public int Repeat { get; init; } = 1;
    /// <summary>Only these section ids (all when empty).</summary>
    public IReadOnlyList<string> Only { get; init; } = [];
    /// <summary>Where results go (bench/results).</summary>
    public string? ResultsDirectory { get; init; }
    /// <summary>Timing-sensitive light parts at the ordinary priority, not raised (RaisedPriority): to see what the neighbours cost.</summary>
    public bool OrdinaryPriority { get; init; }

    public static BenchOptions Parse(string[] args)
    {
        var options = new BenchOptions();
        for (var i = 0; i < args.Length; i++)
        {
            options = args[i] switch
            {
                "--quick" => options with { Quick = true },
                "--repeat" when i + 1 < args.Length => options with { Repeat = Math.Max(1, int.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture)) },
                "--only" when i + 1 < args.Length => options with { Only = args[++i].Split(',', StringSplitOptions.RemoveEmptyEntries) },
                "--results" when i + 1 < args.Length => options with { ResultsDirectory = args[++i] },
                "--ordinary-priority" => options with { OrdinaryPriority = true },
                _ => throw new ArgumentException($"Unknown bench option '{args[i]}'. Options: --quick, --repeat N, --only id[,id], --results DIR, --ordinary-priority."),
            };
        }
        return options;
    }
}
