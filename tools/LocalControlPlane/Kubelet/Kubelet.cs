using System.Threading.Channels;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CallImport.LocalControlPlane.Kubelet;

/// <summary>
/// A kubelet and Job controller for the local control plane. It talks to the API server only through
/// KubernetesClient, like the real ones: watches Jobs and Pods, creates a Job's pods, runs each pod's first
/// container as a host process, and reports pod and Job status. Every change re-runs one sync of the whole
/// state (also every <see cref="KubeletOptions.ResyncPeriod"/>), so missed watch events only cost latency.
/// </summary>
public sealed class Kubelet : IHostedService, IDisposable
{
    private readonly ServedObjects _served;
    private readonly PodLifecycle _pods;
    private readonly JobController _jobs;
    private readonly KubeletOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Channel<bool> _changes = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private CancellationTokenSource? _stopping;
    private Task _loops = Task.CompletedTask;

    public Kubelet(IKubernetes client, KubeletOptions options, ILogger logger, TimeProvider time)
    {
        _options = options;
        _logger = logger;
        _time = time;
        _served = new ServedObjects(client, options.Namespace, options.WatchTimeout);
        var events = new EventRecorder(client, logger, time);
        _pods = new PodLifecycle(client, options, events, logger, time, Changed);
        _jobs = new JobController(client, events, logger, time);
    }

    /// <summary>Pod ("namespace/name") → OS process id of its running container (also on the pod as <see cref="PodAnnotations.ProcessId"/>).</summary>
    public IReadOnlyDictionary<string, int> RunningProcesses => _pods.RunningProcesses;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(_options.WorkRoot);
        _stopping = new CancellationTokenSource();
        var ct = _stopping.Token;
        _loops = Task.WhenAll(
            Task.Run(() => ChangeWatch.RunAsync("jobs", async t => await _served.JobsAsync(t).ConfigureAwait(false), _served.WatchJobs, Changed, _logger, _time, ct), ct),
            Task.Run(() => ChangeWatch.RunAsync("pods", async t => await _served.PodsAsync(t).ConfigureAwait(false), _served.WatchPods, Changed, _logger, _time, ct), ct),
            Task.Run(() => SyncLoopAsync(ct), ct));
        return Task.CompletedTask;
    }

    /// <summary>Stops watching and kills every container it started.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_stopping is null)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loops.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopping anyway.
        }

        _pods.Dispose();
    }

    public void Dispose()
    {
        _stopping?.Cancel();
        _pods.Dispose();
        _stopping?.Dispose();
    }

    private void Changed() => _changes.Writer.TryWrite(true);

    private async Task SyncLoopAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await SyncAsync(ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // The loop must outlive any one failed sync (server restart, conflict); the next sync retries.
            catch (Exception e)
#pragma warning restore CA1031
            {
                KubeletLog.SyncFailed(_logger, e);
            }

            try
            {
                using var resync = new CancellationTokenSource(_options.ResyncPeriod, _time);
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(ct, resync.Token);
                await _changes.Reader.ReadAsync(wait.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                // Periodic resync.
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task SyncAsync(CancellationToken ct)
    {
        var pods = (await _served.PodsAsync(ct).ConfigureAwait(false)).Items;
        var synced = new List<V1Pod>(pods.Count);
        foreach (var pod in pods)
        {
            synced.Add(await _pods.SyncAsync(pod, ct).ConfigureAwait(false));
        }

        _pods.ForgetAllBut(pods.Select(p => p.Metadata.Uid).ToHashSet());
        var jobs = (await _served.JobsAsync(ct).ConfigureAwait(false)).Items;
        await _jobs.SyncAsync([.. jobs], synced, ct).ConfigureAwait(false);
    }
}
