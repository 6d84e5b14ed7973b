using Npgsql;

namespace CallImport.Store;

/// <summary>
/// Counts requests per platform credential per UTC day in PostgreSQL, so a day's quota holds across runs and pods.
/// A reservation is atomic: two runners can never together pass the limit.
/// </summary>
public sealed class DailyRequestCounter(NpgsqlDataSource dataSource)
{
    /// <summary>Reserves <paramref name="requests"/> for the day; false when that would pass <paramref name="limit"/>.</summary>
    public async Task<bool> TryReserveAsync(string platform, string credential, DateOnly day, long limit, int requests, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            INSERT INTO platform_daily_requests AS d (platform, credential, day, requests)
            SELECT $1, $2, $3, $5 WHERE $5 <= $4
            ON CONFLICT (platform, credential, day) DO UPDATE SET requests = d.requests + $5
            WHERE d.requests + $5 <= $4
            RETURNING requests
            """);
        command.Parameters.AddWithValue(platform);
        command.Parameters.AddWithValue(credential);
        command.Parameters.AddWithValue(day);
        command.Parameters.AddWithValue(limit);
        command.Parameters.AddWithValue((long)requests);
        return await command.ExecuteScalarAsync(cancellationToken) is not null;
    }

    public async Task<long> CountAsync(string platform, string credential, DateOnly day, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT requests FROM platform_daily_requests WHERE platform = $1 AND credential = $2 AND day = $3");
        command.Parameters.AddWithValue(platform);
        command.Parameters.AddWithValue(credential);
        command.Parameters.AddWithValue(day);
        return await command.ExecuteScalarAsync(cancellationToken) is long n ? n : 0;
    }
}
