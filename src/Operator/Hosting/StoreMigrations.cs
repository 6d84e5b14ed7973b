using CallImport.Store;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace CallImport.Operator.Hosting;

/// <summary>Brings the store's schema up to date before the controller starts, so progress reads never race it.</summary>
internal sealed class StoreMigrations(NpgsqlDataSource dataSource, ILogger<StoreMigrations> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => SchemaMigrations.ApplyAsync(dataSource, logger, cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
