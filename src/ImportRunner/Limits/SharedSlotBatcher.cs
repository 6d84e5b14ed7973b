namespace CallImport.ImportRunner.Limits;

/// <summary>
/// Asks the shared budget for slots on behalf of every request of one group waiting in this process, one
/// round trip for all of them: the database sees one query per batch, not per request.
/// A slot's wait counts from the database's answer; an answer that took longer than the window's slack to
/// arrive (a cold start, a stalled process) cannot say when "now" was, so its slots are left unused and the
/// batch asks again (twice at most): a request sent late would crowd the window others were given.
/// </summary>
internal sealed class SharedSlotBatcher(IRateWindowStore store, LimitGroup group, LimitGroupRateLimiter limiter) : IDisposable
{
    private readonly Lock _lock = new();
    private readonly Queue<TaskCompletionSource<DateTimeOffset>> _waiting = new();
    private bool _asking;
    private bool _warm;
    private bool _held;
    private const int MaxSlowAnswers = 2;

    public Task<DateTimeOffset> ReserveAsync(CancellationToken cancellationToken)
    {
        var waiter = new TaskCompletionSource<DateTimeOffset>(TaskCreationOptions.RunContinuationsAsynchronously);
        bool start;
        lock (_lock)
        {
            _waiting.Enqueue(waiter);
            start = !_asking;
            _asking = true;
        }
        if (start) _ = AskAsync();
        return waiter.Task.WaitAsync(cancellationToken);
    }

    private async Task AskAsync()
    {
        while (true)
        {
            List<TaskCompletionSource<DateTimeOffset>> batch;
            lock (_lock)
            {
                if (_waiting.Count == 0) { _asking = false; return; }
                var (permitLimit, _) = limiter.SharedRequest();
                batch = [];
                while (_waiting.Count > 0 && batch.Count < permitLimit) batch.Add(_waiting.Dequeue());
            }
            try
            {
                // The first query of a process pays for connecting and compiling: never with real slots.
                if (!_warm) await store.ReserveAsync(group.Name, group.PermitLimit, limiter.EffectiveWindow, 0, TimeSpan.Zero, TimeSpan.Zero, CancellationToken.None);
                var holdFirst = _held || !GroupWindowSettings.NeedsColdStartHold(group.Window) ? TimeSpan.Zero : GroupWindowSettings.ColdStart;
                _warm = true;
                IReadOnlyList<TimeSpan> waits;
                for (var slow = 0; ; slow++)
                {
                    var (limit, quietFor) = limiter.SharedRequest();
                    var asked = limiter.Time.GetTimestamp();
                    waits = await store.ReserveAsync(group.Name, limit, limiter.EffectiveWindow, batch.Count, quietFor, holdFirst, CancellationToken.None);
                    if (limiter.Time.GetElapsedTime(asked) <= limiter.Slack || slow >= MaxSlowAnswers) break;
                }
                _held = true;
                var received = limiter.Time.GetUtcNow();
                for (var i = 0; i < batch.Count; i++) batch[i].TrySetResult(received + waits[i]);
            }
            catch (Exception e)
            {
                foreach (var waiter in batch) waiter.TrySetException(e);
            }
        }
    }

    public void Dispose()
    {
        lock (_lock)
            while (_waiting.TryDequeue(out var waiter)) waiter.TrySetCanceled();
    }
}
