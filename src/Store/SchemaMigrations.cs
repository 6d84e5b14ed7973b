using EvolveDb;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace CallImport.Store;

/// <summary>
/// Brings the schema up to date at start-up. Evolve runs the embedded, forward-only SQL scripts under a
/// PostgreSQL advisory lock (cluster mode), so an older and a newer runner starting together never fight.
/// </summary>
public static class SchemaMigrations
{
    public static async Task ApplyAsync(NpgsqlDataSource dataSource, ILogger logger, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var evolve = new Evolve(connection, message => logger.LogDebug("{MigrationMessage}", message))
        {
            EmbeddedResourceAssemblies = [typeof(SchemaMigrations).Assembly],
            EmbeddedResourceFilters = ["CallImport.Store.Migrations"],
            EnableClusterMode = true,
            IsEraseDisabled = true,
            MetadataTableName = "schema_migrations",
        };
        evolve.Migrate();
        if (evolve.NbMigration > 0)
            logger.LogInformation("Applied {MigrationCount} schema migrations", evolve.NbMigration);
    }
}
