using Npgsql;

namespace CallImport.Store;

/// <summary>
/// The sliding windows of request slots per platform credential and limit group, in PostgreSQL, so every
/// process on one credential draws from one budget (V4, V5: <c>reserve_rate_slots</c>; V7 adds each slot's count of
/// the credential's slots before it in its window; V9 each slot's number and the slots left unused). Atomic per call.
/// </summary>
public sealed class RateWindowCounter(NpgsqlDataSource dataSource)
{
    /// <summary>
    /// Reserves <paramref name="count"/> slots and records <paramref name="unused"/> (this caller's slots left unused);
    /// returns the slots on the database's clock, with its "now", how many slots came before each in its window, each
    /// slot's number, and the credential's unused slots of the last two windows (V9).
    /// </summary>
    public async Task<RateSlots> ReserveAsync(string platform, string credential, string group, int permitLimit,
        TimeSpan window, int count, TimeSpan quietFor, CancellationToken cancellationToken, TimeSpan holdFirst = default, TimeSpan pacedFor = default,
        IReadOnlyList<RateSlot>? unused = null)
    {
        await using var command = dataSource.CreateCommand("SELECT reserve_rate_slots_reported($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)");
        command.Parameters.AddWithValue(platform);
        command.Parameters.AddWithValue(credential);
        command.Parameters.AddWithValue(group);
        command.Parameters.AddWithValue(permitLimit);
        command.Parameters.AddWithValue(window.Ticks / 10);
        command.Parameters.AddWithValue(count);
        command.Parameters.AddWithValue(Math.Max(0, quietFor.Ticks / 10));
        command.Parameters.AddWithValue(Math.Max(0, holdFirst.Ticks / 10));
        command.Parameters.AddWithValue(Math.Max(0, pacedFor.Ticks / 10));
        unused ??= [];
        command.Parameters.AddWithValue(unused.Select(u => ToMicroseconds(u.At)).ToArray());
        command.Parameters.AddWithValue(unused.Select(u => u.Sequence).ToArray());
        var answer = (long[])(await command.ExecuteScalarAsync(cancellationToken))!;
        var slots = new DateTimeOffset[(int)answer[1]];
        var before = new int[slots.Length];
        var sequences = new long[slots.Length];
        for (var i = 0; i < slots.Length; i++)
            (slots[i], before[i], sequences[i]) = (FromMicroseconds(answer[2 + 3 * i]), (int)answer[3 + 3 * i], answer[4 + 3 * i]);
        var reported = new RateSlot[(answer.Length - 2 - 3 * slots.Length) / 2];
        for (var i = 0; i < reported.Length; i++)
        {
            var at = 2 + 3 * slots.Length + 2 * i;
            reported[i] = new RateSlot(FromMicroseconds(answer[at]), answer[at + 1]);
        }
        return new RateSlots(FromMicroseconds(answer[0]), slots) { InWindowBefore = before, Sequences = sequences, Unused = reported };
    }

    private static DateTimeOffset FromMicroseconds(long us) => DateTimeOffset.UnixEpoch.AddTicks(us * 10);

    // Slots come as whole microseconds, so a slot's time goes back exactly as it came.
    private static long ToMicroseconds(DateTimeOffset at) => (at - DateTimeOffset.UnixEpoch).Ticks / 10;
}

/// <summary>Reserved slots on the database's clock, and that clock's reading when they were reserved.</summary>
public sealed record RateSlots(DateTimeOffset DatabaseNow, IReadOnlyList<DateTimeOffset> Slots)
{
    /// <summary>
    /// For each slot, the credential's slots before it in its window, every process's (empty: not known): what
    /// the vendor had been sent when that slot's request arrives, if it is refused.
    /// </summary>
    public IReadOnlyList<int> InWindowBefore { get; init; } = [];

    /// <summary>Each slot's number in the credential's budget, in reservation order (empty: not known, a budget before V9).</summary>
    public IReadOnlyList<long> Sequences { get; init; } = [];

    /// <summary>
    /// The credential's slots reserved and left unused in the last two windows, as reported by the processes that held
    /// them (and every cold start's spare): not among the requests the vendor was sent.
    /// </summary>
    public IReadOnlyList<RateSlot> Unused { get; init; } = [];

    /// <summary>Each slot as a wait from the moment of reservation (what a process on another clock can use).</summary>
    public IReadOnlyList<TimeSpan> Waits => [.. Slots.Select(s => s - DatabaseNow)];
}
