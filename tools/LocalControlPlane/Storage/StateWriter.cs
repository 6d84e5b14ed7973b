namespace CallImport.LocalControlPlane.Storage;

/// <summary>Saves the store shortly after writes (coalescing bursts) and once more on stop.</summary>
public sealed class StateWriter(StateFile file, ObjectStore store) : IAsyncDisposable
{
    private readonly SemaphoreSlim dirty = new(0);
    private readonly CancellationTokenSource stopping = new();
    private Task? loop;

    public void Start()
    {
        store.Committed += MarkDirty;
        loop = Task.Run(async () =>
        {
            while (!stopping.IsCancellationRequested)
            {
                try
                {
                    await dirty.WaitAsync(stopping.Token);
                    await Task.Delay(100, stopping.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                file.Save(store);
            }
        });
    }

    private void MarkDirty(WatchEvent change)
    {
        if (dirty.CurrentCount == 0) dirty.Release();
    }

    public async ValueTask DisposeAsync()
    {
        store.Committed -= MarkDirty;
        await stopping.CancelAsync();
        if (loop is not null) await loop;
        file.Save(store);
        stopping.Dispose();
        dirty.Dispose();
    }
}
