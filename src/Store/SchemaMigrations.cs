using System.Text.RegularExpressions;
using EvolveDb;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace CallImport.Store;

/// <summary>
/// The schema's forward-only SQL scripts, applied by whoever owns the schema — the operator at start, or
/// <c>ImportRunner migrate</c> — never by each runner (runners only read and write rows). Evolve runs them
/// under a PostgreSQL advisory lock (cluster mode), so two operators starting together never fight.
/// </summary>
public static partial class SchemaMigrations
{
    /// <summary>Evolve's record of applied scripts.</summary>
    public const string MetadataTable = "schema_migrations";

    /// <summary>The highest script version this build carries: the schema version its runner needs.</summary>
    public static int LatestVersion { get; } = typeof(SchemaMigrations).Assembly.GetManifestResourceNames()
        .Select(name => ScriptVersion().Match(name)).Where(m => m.Success)
        .Max(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Applies the scripts not yet applied; returns how many were.</summary>
    public static async Task<int> ApplyAsync(NpgsqlDataSource dataSource, ILogger logger, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var evolve = new Evolve(connection, message => logger.LogDebug("{MigrationMessage}", message))
        {
            EmbeddedResourceAssemblies = [typeof(SchemaMigrations).Assembly],
            EmbeddedResourceFilters = ["CallImport.Store.Migrations"],
            EnableClusterMode = true,
            IsEraseDisabled = true,
            MetadataTableName = MetadataTable,
        };
        evolve.Migrate();
        if (evolve.NbMigration > 0)
            logger.LogInformation("Applied {MigrationCount} schema migrations", evolve.NbMigration);
        return evolve.NbMigration;
    }

    /// <summary>
    /// The schema version the database holds (0 when it has none), read without throwing on the normal path:
    /// what a runner checks at start instead of migrating.
    /// </summary>
    public static async Task<int> CurrentVersionAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        await using var exists = dataSource.CreateCommand($"SELECT to_regclass('{MetadataTable}') IS NOT NULL");
        if (await exists.ExecuteScalarAsync(cancellationToken) is not true) return 0;
        await using var version = dataSource.CreateCommand(
            $"SELECT coalesce(max(version::numeric), 0)::int FROM {MetadataTable} WHERE type = 0 AND success");
        return await version.ExecuteScalarAsync(cancellationToken) is int v ? v : 0;
    }

    [GeneratedRegex(@"\.V(\d+)__[^.]*\.sql$")]
    private static partial Regex ScriptVersion();
}
