using CallImport.Store;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace CallImport.Operator.Hosting;

/// <summary>
/// Brings the store's schema up to date before the controller starts, so progress reads never race it and no
/// runner Job starts against an old schema. In a cluster this is the only place migrations run: runners only
/// check the version, so their database role needs rights on rows, not on the schema (README: database roles).
/// Replicas starting together take turns under Evolve's advisory lock.
/// </summary>
internal sealed class StoreMigrations(NpgsqlDataSource dataSource, ILogger<StoreMigrations> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await SchemaMigrations.ApplyAsync(dataSource, logger, cancellationToken);
        logger.LogInformation("Store schema at version {SchemaVersion}", SchemaMigrations.LatestVersion);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
