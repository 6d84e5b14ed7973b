using Npgsql;

namespace CallImport.Store;

/// <summary>
/// The sliding windows of request slots per platform credential and limit group, in PostgreSQL, so every
/// process on one credential draws from one budget (V4, V5: <c>reserve_rate_slots</c>). Atomic per call.
/// </summary>
public sealed class RateWindowCounter(NpgsqlDataSource dataSource)
{
    /// <summary>Reserves <paramref name="count"/> slots; returns them on the database's clock, with its "now".</summary>
    public async Task<RateSlots> ReserveAsync(string platform, string credential, string group, int permitLimit,
        TimeSpan window, int count, TimeSpan quietFor, CancellationToken cancellationToken, TimeSpan holdFirst = default, TimeSpan pacedFor = default)
    {
        await using var command = dataSource.CreateCommand("SELECT reserve_rate_slots($1, $2, $3, $4, $5, $6, $7, $8, $9)");
        command.Parameters.AddWithValue(platform);
        command.Parameters.AddWithValue(credential);
        command.Parameters.AddWithValue(group);
        command.Parameters.AddWithValue(permitLimit);
        command.Parameters.AddWithValue(window.Ticks / 10);
        command.Parameters.AddWithValue(count);
        command.Parameters.AddWithValue(Math.Max(0, quietFor.Ticks / 10));
        command.Parameters.AddWithValue(Math.Max(0, holdFirst.Ticks / 10));
        command.Parameters.AddWithValue(Math.Max(0, pacedFor.Ticks / 10));
        var times = (long[])(await command.ExecuteScalarAsync(cancellationToken))!;
        return new RateSlots(FromMicroseconds(times[0]), [.. times.Skip(1).Select(FromMicroseconds)]);
    }

    private static DateTimeOffset FromMicroseconds(long us) => DateTimeOffset.UnixEpoch.AddTicks(us * 10);
}

/// <summary>Reserved slots on the database's clock, and that clock's reading when they were reserved.</summary>
public sealed record RateSlots(DateTimeOffset DatabaseNow, IReadOnlyList<DateTimeOffset> Slots)
{
    /// <summary>Each slot as a wait from the moment of reservation (what a process on another clock can use).</summary>
    public IReadOnlyList<TimeSpan> Waits => [.. Slots.Select(s => s - DatabaseNow)];
}
