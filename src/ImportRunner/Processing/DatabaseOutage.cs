using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace CallImport.ImportRunner.Processing;

/// <summary>
/// Rides out a database that goes away mid-run (a failover, a restart): a store operation that fails because
/// the database is unreachable is tried again with capped exponential backoff, for at most
/// <see cref="Limit"/> from the first failure of the outage — shared by every call in flight, so they all give
/// up together. Then <see cref="DatabaseUnavailableException"/> ends the run with one clear line. Every store
/// write is idempotent (one statement each), so repeating one whose reply was lost is safe.
/// </summary>
public sealed class DatabaseOutage(TimeSpan limit, TimeProvider time, ILogger logger)
{
    public const string LimitVariable = "CALLIMPORT_DATABASE_OUTAGE_SECONDS";
    public static readonly TimeSpan DefaultLimit = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan FirstDelay = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(10);

    private readonly Lock _lock = new();
    private DateTimeOffset? _since;
    private volatile bool _down;

    public TimeSpan Limit { get; } = limit;

    /// <summary>The limit from CALLIMPORT_DATABASE_OUTAGE_SECONDS, else two minutes.</summary>
    public static TimeSpan LimitFromEnvironment() =>
        double.TryParse(Environment.GetEnvironmentVariable(LimitVariable), System.Globalization.CultureInfo.InvariantCulture, out var seconds) && seconds >= 0
            ? TimeSpan.FromSeconds(seconds)
            : DefaultLimit;

    public async Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> operation, CancellationToken cancellationToken)
    {
        var delay = FirstDelay;
        while (true)
        {
            try
            {
                var result = await operation(cancellationToken);
                Recovered();
                return result;
            }
            catch (Exception e) when (IsOutage(e) && !cancellationToken.IsCancellationRequested)
            {
                var since = Failed(e);
                if (time.GetUtcNow() - since >= Limit)
                    throw new DatabaseUnavailableException(
                        $"The database has been unreachable for {Limit.TotalSeconds:0} s ({e.Message}); stopping. Run again once it is back: finished calls are kept.", e);
                await Task.Delay(delay, time, cancellationToken);
                delay = TimeSpan.FromTicks(Math.Min(MaxDelay.Ticks, delay.Ticks * 2));
            }
        }
    }

    public Task RunAsync(Func<CancellationToken, Task> operation, CancellationToken cancellationToken) =>
        RunAsync(async ct => { await operation(ct); return true; }, cancellationToken);

    /// <summary>A lost connection or a server shutting down or starting; not a bad statement.</summary>
    public static bool IsOutage(Exception e) => e switch
    {
        DatabaseUnavailableException => false,
        PostgresException p => p.SqlState.StartsWith("08", StringComparison.Ordinal) // connection exceptions
                               || p.SqlState is "57P01" or "57P02" or "57P03" // admin/crash shutdown, cannot connect now
                               || p.SqlState.StartsWith("53", StringComparison.Ordinal), // insufficient resources
        NpgsqlException n => n.IsTransient,
        SocketException or TimeoutException => true,
        _ => false,
    };

    private DateTimeOffset Failed(Exception e)
    {
        lock (_lock)
        {
            if (_since is { } since) return since;
            logger.LogWarning("The database is unreachable ({Error}); waiting up to {LimitSeconds} s for it to come back", e.Message, Limit.TotalSeconds);
            _down = true;
            return (_since = time.GetUtcNow()).Value;
        }
    }

    private void Recovered()
    {
        if (!_down) return; // the normal path: no lock
        lock (_lock)
        {
            if (_since is not { } since) return;
            logger.LogWarning("The database is back after {OutageSeconds:0.0} s; carrying on", (time.GetUtcNow() - since).TotalSeconds);
            _since = null;
            _down = false;
        }
    }
}

/// <summary>The database stayed unreachable longer than the outage limit: the run ends (exit code 1).</summary>
public sealed class DatabaseUnavailableException(string message, Exception inner) : Exception(message, inner);
