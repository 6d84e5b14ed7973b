namespace CallImport.ImportRunner.Limits;

/// <summary>
/// Asks the shared budget for slots on behalf of every request of one group waiting in this process, one
/// round trip for all of them: the database sees one query per batch, not per request.
/// </summary>
internal sealed class SharedSlotBatcher(IRateWindowStore store, LimitGroup group, LimitGroupRateLimiter limiter) : IDisposable
{
    private readonly Lock _lock = new();
    private readonly Queue<TaskCompletionSource<TimeSpan>> _waiting = new();
    private bool _asking;

    public Task<TimeSpan> ReserveAsync(CancellationToken cancellationToken)
    {
        var waiter = new TaskCompletionSource<TimeSpan>(TaskCreationOptions.RunContinuationsAsynchronously);
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
            List<TaskCompletionSource<TimeSpan>> batch;
            lock (_lock)
            {
                if (_waiting.Count == 0) { _asking = false; return; }
                var (permitLimit, _) = limiter.SharedRequest();
                batch = [];
                while (_waiting.Count > 0 && batch.Count < permitLimit) batch.Add(_waiting.Dequeue());
            }
            try
            {
                var (limit, quietFor) = limiter.SharedRequest();
                var waits = await store.ReserveAsync(group.Name, limit, limiter.EffectiveWindow, batch.Count, quietFor, CancellationToken.None);
                for (var i = 0; i < batch.Count; i++) batch[i].TrySetResult(waits[i]);
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
