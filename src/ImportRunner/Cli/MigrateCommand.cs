using System.CommandLine;
using System.Net.Sockets;
using CallImport.ImportRunner.Processing;
using CallImport.Store;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace CallImport.ImportRunner.Cli;

/// <summary>
/// <c>migrate</c>: brings the store's schema up to date, for standalone use without the operator (which migrates
/// at its own start). Needs a role that may create tables; runners themselves only read and write rows.
/// </summary>
public static class MigrateCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var database = new Option<string?>("--database") { Description = $"Npgsql connection string of the schema owner (default: ${ImportArguments.DatabaseVariable})." };
        var command = new Command("migrate", "Apply the store's schema migrations (forward-only, under an advisory lock) and exit.") { database };
        command.SetAction(async (result, cancellationToken) =>
        {
            var connectionString = result.GetValue(database) ?? Environment.GetEnvironmentVariable(ImportArguments.DatabaseVariable);
            if (connectionString is null)
            {
                await stderr.WriteLineAsync($"error: no database: pass --database \"Host=…;Username=…;Database=…\" or set {ImportArguments.DatabaseVariable}.");
                return ExitCodes.CouldNotStart;
            }
            var where = RunnerDatabase.Where(connectionString);
            try
            {
                await using var dataSource = RunnerDatabase.Open(connectionString);
                var applied = await SchemaMigrations.ApplyAsync(dataSource, NullLogger.Instance, cancellationToken);
                await stdout.WriteLineAsync($"The database at {where} is at schema version {SchemaMigrations.LatestVersion} ({applied} migrations applied now).");
                return ExitCodes.Success;
            }
            catch (RunnerDatabase.UnusableException e)
            {
                await stderr.WriteLineAsync($"error: {e.Message}");
                return ExitCodes.CouldNotStart;
            }
            catch (Exception e) when (e is NpgsqlException or SocketException or TimeoutException or EvolveDb.EvolveException)
            {
                // Evolve wraps the server's refusal (e.g. "permission denied for schema public"): show the cause.
                var reason = e.Message;
                for (var inner = e; inner is not null; inner = inner.InnerException)
                    if (inner is PostgresException p) { reason = p.MessageText; break; }
                await stderr.WriteLineAsync($"error: cannot migrate the database at {where}: {reason}. Migrate with the schema owner's role (it may create tables), not the runner's.");
                return ExitCodes.CouldNotStart;
            }
        });
        return command;
    }
}
