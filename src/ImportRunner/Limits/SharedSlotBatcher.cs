using CallImport.Store;

namespace CallImport.ImportRunner.Limits;

/// <summary>
/// Asks the shared budget for slots on behalf of every request of one group waiting in this process, one
/// round trip for all of them: the database sees one query per batch, not per request. The slots come on the
/// database's clock and are mapped onto ours by the fastest recent answers (<see cref="DatabaseClockMapping"/>),
/// not by when this answer happened to arrive. A slot whose deadline passed before its answer arrived (a
/// stalled process) is left unused and its request asks again: sent late, it would crowd a window others were given.
/// Slots left unused (here, in the limiter, or by a request that did not go) are reported with the next batch, so every
/// process's throttle learning counts only slots really sent; with no batch to ride on, the reports go alone, gathered.
/// </summary>
internal sealed class SharedSlotBatcher(IRateWindowStore store, LimitGroup group, LimitGroupRateLimiter limiter) : IDisposable
{
    private readonly Lock _lock = new();
    private readonly LinkedList<TaskCompletionSource<RequestSlot>> _waiting = new();
    private readonly DatabaseClockMapping _clock = new();
    private List<RateSlot> _reports = [];
    private bool _asking;
    private bool _warm;
    private bool _held;

    /// <summary>Slots answered after their deadline (left unused, asked again).</summary>
    public long Missed { get; private set; }

    public Task<RequestSlot> ReserveAsync(CancellationToken cancellationToken)
    {
        var waiter = new TaskCompletionSource<RequestSlot>(TaskCreationOptions.RunContinuationsAsynchronously);
        bool start;
        lock (_lock)
        {
            _waiting.AddLast(waiter);
            start = !_asking;
            _asking = true;
        }
        if (start) _ = AskAsync();
        return cancellationToken.CanBeCanceled ? WaitAsync(waiter, cancellationToken) : waiter.Task;
    }

    /// <summary>
    /// A waiter given up is cancelled itself, not only its wait: a slot answered for it afterwards finds it done, and is
    /// reported unused rather than silently lost (and a batch not yet asked leaves it out).
    /// </summary>
    private static async Task<RequestSlot> WaitAsync(TaskCompletionSource<RequestSlot> waiter, CancellationToken cancellationToken)
    {
        await using var registration = cancellationToken.UnsafeRegister(static (state, token) => ((TaskCompletionSource<RequestSlot>)state!).TrySetCanceled(token), waiter).ConfigureAwait(false);
        return await waiter.Task.ConfigureAwait(false);
    }

    /// <summary>A slot of this process's that no request used: recorded with the next batch (asked now if none is under way).</summary>
    public void Report(RateSlot slot)
    {
        bool start;
        lock (_lock)
        {
            _reports.Add(slot);
            start = !_asking;
            _asking = true;
        }
        if (start) _ = AskAsync();
    }

    private async Task AskAsync()
    {
        while (true)
        {
            List<TaskCompletionSource<RequestSlot>> batch;
            List<RateSlot> reports;
            int permitLimit;
            TimeSpan quietFor, pacedFor;
            lock (_lock)
            {
                (permitLimit, quietFor, pacedFor) = limiter.SharedRequest();
                batch = [];
                while (_waiting.First is { } first && batch.Count < permitLimit)
                {
                    _waiting.RemoveFirst();
                    if (!first.Value.Task.IsCompleted) batch.Add(first.Value);
                }
                reports = _reports;
                _reports = [];
                if (batch.Count == 0 && reports.Count == 0) { _asking = false; return; }
            }
            try
            {
                var time = limiter.Time;
                // The first query of a process pays for connecting and compiling: never with real slots.
                if (!_warm) await ReserveInStoreAsync(permitLimit, 0, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero, []);
                _warm = true;
                var hold = _held || batch.Count == 0 || !GroupWindowSettings.NeedsColdStartHold(group.Window) ? TimeSpan.Zero : GroupWindowSettings.ColdStart;
                var answer = await ReserveInStoreAsync(permitLimit, batch.Count, quietFor, hold, pacedFor, reports);
                var slots = answer.Slots;
                var received = time.GetUtcNow();
                var missed = new List<TaskCompletionSource<RequestSlot>>();
                var unused = new List<RateSlot>();
                // A slot may have begun up to the mapping's uncertainty before it seems to here: the request's slack
                // is counted from the earliest it may have begun (not all of it: a database far away must still be usable).
                var lateBy = TimeSpan.FromTicks(Math.Min(_clock.Uncertainty.Ticks, limiter.Slack.Ticks / 2));
                var local = slots.Select(_clock.ToLocal).ToList();
                // Every slot of the batch is this process's, used or not, before any of its requests may go (and meet a refusal).
                limiter.RememberShared(local, answer);
                if (batch.Count == 0) continue;
                for (var i = 0; i < batch.Count; i++)
                {
                    var at = local[i];
                    var deadline = at - lateBy + (i == 0 && hold > TimeSpan.Zero ? GroupWindowSettings.ColdStart : limiter.Slack);
                    if (deadline < received) missed.Add(batch[i]);
                    else if (batch[i].TrySetResult(new RequestSlot(at, deadline))) continue;
                    // Missed, or its waiter gave up meanwhile: no request goes on it.
                    if (limiter.TakeUnused(at.UtcTicks) is { } report) unused.Add(report);
                }
                // The cold start's spare slot protects the first request only if that request could use its slot.
                if (hold == TimeSpan.Zero || missed.Count == 0 || missed[0] != batch[0]) _held = true;
                if (missed.Count > 0 || unused.Count > 0)
                {
                    lock (_lock)
                    {
                        Missed += missed.Count;
                        for (var i = missed.Count - 1; i >= 0; i--) _waiting.AddFirst(missed[i]);
                        _reports.AddRange(unused);
                    }
                }
            }
            catch (Exception e)
            {
                // The reports are lost with the answer (best effort: those slots count as sent, as before V9).
                foreach (var waiter in batch) waiter.TrySetException(e);
            }
        }
    }

    private async Task<RateSlots> ReserveInStoreAsync(int permitLimit, int count, TimeSpan quietFor, TimeSpan hold, TimeSpan pacedFor, IReadOnlyList<RateSlot> unused)
    {
        var asked = limiter.Time.GetUtcNow();
        var answer = await store.ReserveAsync(group.Name, permitLimit, limiter.EffectiveWindow, count, quietFor, hold, pacedFor, unused, CancellationToken.None).ConfigureAwait(false);
        _clock.Observe(asked, limiter.Time.GetUtcNow(), answer.DatabaseNow);
        return answer;
    }

    public void Dispose()
    {
        lock (_lock)
        {
            foreach (var waiter in _waiting) waiter.TrySetCanceled();
            _waiting.Clear();
        }
    }
}
