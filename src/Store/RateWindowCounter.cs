using Npgsql;

namespace CallImport.Store;

/// <summary>
/// The sliding windows of request slots per platform credential and limit group, in PostgreSQL, so every
/// process on one credential draws from one budget (V4, V5: <c>reserve_rate_slots</c>; V7 adds each slot's count of
/// the credential's slots before it in its window). Atomic per call.
/// </summary>
public sealed class RateWindowCounter(NpgsqlDataSource dataSource)
{
    /// <summary>Reserves <paramref name="count"/> slots; returns them on the database's clock, with its "now" and how many slots came before each in its window.</summary>
    public async Task<RateSlots> ReserveAsync(string platform, string credential, string group, int permitLimit,
        TimeSpan window, int count, TimeSpan quietFor, CancellationToken cancellationToken, TimeSpan holdFirst = default, TimeSpan pacedFor = default)
    {
        await using var command = dataSource.CreateCommand("SELECT reserve_rate_slots_counted($1, $2, $3, $4, $5, $6, $7, $8, $9)");
        command.Parameters.AddWithValue(platform);
        command.Parameters.AddWithValue(credential);
        command.Parameters.AddWithValue(group);
        command.Parameters.AddWithValue(permitLimit);
        command.Parameters.AddWithValue(window.Ticks / 10);
        command.Parameters.AddWithValue(count);
        command.Parameters.AddWithValue(Math.Max(0, quietFor.Ticks / 10));
        command.Parameters.AddWithValue(Math.Max(0, holdFirst.Ticks / 10));
        command.Parameters.AddWithValue(Math.Max(0, pacedFor.Ticks / 10));
        var answer = (long[])(await command.ExecuteScalarAsync(cancellationToken))!;
        var slots = new DateTimeOffset[(answer.Length - 1) / 2];
        var before = new int[slots.Length];
        for (var i = 0; i < slots.Length; i++) (slots[i], before[i]) = (FromMicroseconds(answer[1 + 2 * i]), (int)answer[2 + 2 * i]);
        return new RateSlots(FromMicroseconds(answer[0]), slots) { InWindowBefore = before };
    }

    private static DateTimeOffset FromMicroseconds(long us) => DateTimeOffset.UnixEpoch.AddTicks(us * 10);
}

/// <summary>Reserved slots on the database's clock, and that clock's reading when they were reserved.</summary>
public sealed record RateSlots(DateTimeOffset DatabaseNow, IReadOnlyList<DateTimeOffset> Slots)
{
    /// <summary>
    /// For each slot, the credential's slots before it in its window, every process's (empty: not known): what
    /// the vendor had been sent when that slot's request arrives, if it is refused.
    /// </summary>
    public IReadOnlyList<int> InWindowBefore { get; init; } = [];

    /// <summary>Each slot as a wait from the moment of reservation (what a process on another clock can use).</summary>
    public IReadOnlyList<TimeSpan> Waits => [.. Slots.Select(s => s - DatabaseNow)];
}
