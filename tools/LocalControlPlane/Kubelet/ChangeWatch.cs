using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace CallImport.LocalControlPlane.Kubelet;

/// <summary>
/// List, then watch from the list's resourceVersion, and start over (relist) whenever the watch ends or
/// reports an error such as 410 Expired. Each change only wakes the sync loop, which re-reads everything,
/// so a missed event costs latency, never correctness.
/// </summary>
internal static class ChangeWatch
{
    public static async Task RunAsync<T>(
        string what,
        Func<CancellationToken, Task<IMetadata<V1ListMeta>>> list,
        Func<string?, Action<Exception>, CancellationToken, IAsyncEnumerable<(WatchEventType, T)>> watch,
        Action changed,
        ILogger logger,
        TimeProvider time,
        CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                var listed = await list(ct).ConfigureAwait(false);
                changed();
                var events = watch(listed.Metadata?.ResourceVersion, e => LogWatchError(logger, what, e), ct);
                await foreach (var _ in events.ConfigureAwait(false))
                {
                    changed();
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // A watch must never die: any failure means relist after a pause.
            catch (Exception e)
#pragma warning restore CA1031
            {
                LogWatchError(logger, what, e);
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(1), time, ct).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private static void LogWatchError(ILogger logger, string what, Exception e) =>
        KubeletLog.WatchRestarted(logger, what, e.Message);
}
