using CallImport.ImportRunner.Limits;
using CallImport.Store;
using Microsoft.Extensions.Time.Testing;

namespace CallImport.ImportRunner.Tests.Limits;

/// <summary>
/// The shared budget's rule (V9's <c>reserve_rate_slots_reported</c>: the exact sliding window, quiet time, a cold
/// start's spare slot, pacing at the lowest learned limit while a throttled process renews it, each slot's count of those
/// before it and its number, the unused slots reported and every spare, kept two windows) kept in memory on a fake clock, so the processes' side of a shared budget can be
/// driven deterministically; the SQL itself is tested against PostgreSQL (RateWindowCounterTests).
/// Each <see cref="ForProcess"/> is one process's connection to it, whose answers can be made to arrive late.
/// </summary>
internal sealed class FakeClockRateWindows(FakeTimeProvider time)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, (SlidingWindowLog Log, long QuietUntil, int PacedLimit, long PacedUntil, long Sequence, List<RateSlot> Unused)> _groups = [];

    /// <summary><paramref name="isSlow"/>: which answers (0 = the process's first) reach the process 20 s after the database sent them.</summary>
    public Connection ForProcess(Func<int, bool>? isSlow = null) => new(this, time) { IsSlow = isSlow ?? (_ => false) };

    private RateSlots Reserve(string group, int permitLimit, TimeSpan window, int count, TimeSpan quietFor, TimeSpan holdFirst, TimeSpan pacedFor, IReadOnlyList<RateSlot> unused)
    {
        lock (_lock)
        {
            var now = time.GetUtcNow().UtcTicks;
            if (!_groups.TryGetValue(group, out var state)) state = (new SlidingWindowLog(), 0, 0, 0, 0, []);
            state.Unused.AddRange(unused);
            if (quietFor > TimeSpan.Zero) state.QuietUntil = Math.Max(state.QuietUntil, now + quietFor.Ticks);
            if (pacedFor > TimeSpan.Zero) (state.PacedLimit, state.PacedUntil) = (permitLimit, Math.Max(state.PacedUntil, now + pacedFor.Ticks));
            var paced = state.PacedUntil > now && state.PacedLimit > 0;
            if (paced) permitLimit = Math.Min(permitLimit, state.PacedLimit);
            var spacing = paced ? window.Ticks / permitLimit : 0;
            var slots = new List<DateTimeOffset>();
            var before = new List<int>();
            var sequences = new List<long>();
            var hold = holdFirst > TimeSpan.Zero && count > 0;
            var first = 0L;
            for (var i = 1; i <= count + (hold ? 1 : 0); i++)
            {
                var notBefore = i == 2 && hold ? first + holdFirst.Ticks : state.QuietUntil;
                var slot = state.Log.NextSlot(now, Math.Max(notBefore, state.QuietUntil), permitLimit, window.Ticks, spacing);
                var inWindow = state.Log.CountInWindow(slot, window.Ticks);
                state.Log.Reserve(now, Math.Max(notBefore, state.QuietUntil), permitLimit, window.Ticks, spacing);
                if (i == 1) first = slot;
                var sequence = ++state.Sequence;
                if (!(i == 2 && hold))
                {
                    slots.Add(new DateTimeOffset(slot, TimeSpan.Zero));
                    before.Add(inWindow);
                    sequences.Add(sequence);
                }
                else state.Unused.Add(new RateSlot(new DateTimeOffset(slot, TimeSpan.Zero), sequence));
            }
            state.Unused.RemoveAll(u => u.At.UtcTicks <= now - 2 * window.Ticks);
            _groups[group] = state;
            return new RateSlots(time.GetUtcNow(), slots) { InWindowBefore = before, Sequences = sequences, Unused = [.. state.Unused] };
        }
    }

    public sealed class Connection(FakeClockRateWindows windows, FakeTimeProvider time) : IRateWindowStore
    {
        private int _answers;

        public Func<int, bool> IsSlow { get; init; } = _ => false;
        public TimeSpan Stall { get; } = TimeSpan.FromSeconds(20);

        public async Task<RateSlots> ReserveAsync(string group, int permitLimit, TimeSpan window, int count, TimeSpan quietFor, TimeSpan holdFirst, TimeSpan pacedFor,
            IReadOnlyList<RateSlot> unused, CancellationToken cancellationToken)
        {
            var answer = windows.Reserve(group, permitLimit, window, count, quietFor, holdFirst, pacedFor, unused);
            if (IsSlow(_answers++)) await Task.Delay(Stall, time, cancellationToken);
            return answer;
        }
    }
}
