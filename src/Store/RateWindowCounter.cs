using Npgsql;

namespace CallImport.Store;

/// <summary>
/// The sliding windows of request slots per platform credential and limit group, in PostgreSQL, so every
/// process on one credential draws from one budget (V4: <c>reserve_rate_slots</c>). Atomic per call.
/// </summary>
public sealed class RateWindowCounter(NpgsqlDataSource dataSource)
{
    /// <summary>Reserves <paramref name="count"/> slots; returns each one's wait from now, in order.</summary>
    public async Task<IReadOnlyList<TimeSpan>> ReserveAsync(string platform, string credential, string group, int permitLimit,
        TimeSpan window, int count, TimeSpan quietFor, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT reserve_rate_slots($1, $2, $3, $4, $5, $6, $7)");
        command.Parameters.AddWithValue(platform);
        command.Parameters.AddWithValue(credential);
        command.Parameters.AddWithValue(group);
        command.Parameters.AddWithValue(permitLimit);
        command.Parameters.AddWithValue(window.Ticks / 10);
        command.Parameters.AddWithValue(count);
        command.Parameters.AddWithValue(Math.Max(0, quietFor.Ticks / 10));
        var waits = (long[])(await command.ExecuteScalarAsync(cancellationToken))!;
        return [.. waits.Select(us => TimeSpan.FromTicks(us * 10))];
    }
}
