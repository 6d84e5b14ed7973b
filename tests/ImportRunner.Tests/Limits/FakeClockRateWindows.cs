using CallImport.ImportRunner.Limits;
using CallImport.Store;
using Microsoft.Extensions.Time.Testing;

namespace CallImport.ImportRunner.Tests.Limits;

/// <summary>
/// The shared budget's rule (V5's <c>reserve_rate_slots</c>: the exact sliding window, quiet time, a cold
/// start's spare slot, pacing at the lowest learned limit while a throttled process renews it) kept in memory on a fake clock, so the processes' side of a shared budget can be
/// driven deterministically; the SQL itself is tested against PostgreSQL (RateWindowCounterTests).
/// Each <see cref="ForProcess"/> is one process's connection to it, whose answers can be made to arrive late.
/// </summary>
internal sealed class FakeClockRateWindows(FakeTimeProvider time)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, (SlidingWindowLog Log, long QuietUntil, int PacedLimit, long PacedUntil)> _groups = [];

    /// <summary><paramref name="isSlow"/>: which answers (0 = the process's first) reach the process 20 s after the database sent them.</summary>
    public Connection ForProcess(Func<int, bool>? isSlow = null) => new(this, time) { IsSlow = isSlow ?? (_ => false) };

    private RateSlots Reserve(string group, int permitLimit, TimeSpan window, int count, TimeSpan quietFor, TimeSpan holdFirst, TimeSpan pacedFor)
    {
        lock (_lock)
        {
            var now = time.GetUtcNow().UtcTicks;
            if (!_groups.TryGetValue(group, out var state)) state = (new SlidingWindowLog(), 0, 0, 0);
            if (quietFor > TimeSpan.Zero) state.QuietUntil = Math.Max(state.QuietUntil, now + quietFor.Ticks);
            if (pacedFor > TimeSpan.Zero) (state.PacedLimit, state.PacedUntil) = (permitLimit, Math.Max(state.PacedUntil, now + pacedFor.Ticks));
            var paced = state.PacedUntil > now && state.PacedLimit > 0;
            if (paced) permitLimit = Math.Min(permitLimit, state.PacedLimit);
            var spacing = paced ? window.Ticks / permitLimit : 0;
            var slots = new List<DateTimeOffset>();
            var before = new List<int>();
            var hold = holdFirst > TimeSpan.Zero && count > 0;
            var first = 0L;
            for (var i = 1; i <= count + (hold ? 1 : 0); i++)
            {
                var notBefore = i == 2 && hold ? first + holdFirst.Ticks : state.QuietUntil;
                var slot = state.Log.NextSlot(now, Math.Max(notBefore, state.QuietUntil), permitLimit, window.Ticks, spacing);
                var inWindow = state.Log.CountInWindow(slot, window.Ticks);
                state.Log.Reserve(now, Math.Max(notBefore, state.QuietUntil), permitLimit, window.Ticks, spacing);
                if (i == 1) first = slot;
                if (!(i == 2 && hold))
                {
                    slots.Add(new DateTimeOffset(slot, TimeSpan.Zero));
                    before.Add(inWindow);
                }
            }
            _groups[group] = state;
            return new RateSlots(time.GetUtcNow(), slots) { InWindowBefore = before };
        }
    }

    public sealed class Connection(FakeClockRateWindows windows, FakeTimeProvider time) : IRateWindowStore
    {
        private int _answers;

        public Func<int, bool> IsSlow { get; init; } = _ => false;
        public TimeSpan Stall { get; } = TimeSpan.FromSeconds(20);

        public async Task<RateSlots> ReserveAsync(string group, int permitLimit, TimeSpan window, int count, TimeSpan quietFor, TimeSpan holdFirst, TimeSpan pacedFor, CancellationToken cancellationToken)
        {
            var answer = windows.Reserve(group, permitLimit, window, count, quietFor, holdFirst, pacedFor);
            if (IsSlow(_answers++)) await Task.Delay(Stall, time, cancellationToken);
            return answer;
        }
    }
}
