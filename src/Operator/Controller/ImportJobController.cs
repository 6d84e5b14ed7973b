using System.Diagnostics;
using CallImport.ImportJobs;
using CallImport.Operator.Hosting;
using CallImport.Operator.ApiServer;
using CallImport.Operator.Metrics;
using CallImport.Operator.Reconciliation;
using CallImport.Operator.Runs;
using k8s;
using k8s.Models;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CallImport.Operator.Controller;

/// <summary>
/// The control loop, once this replica leads: informers on ImportJobs and runner Jobs feed a work queue of
/// ImportJob keys; workers reconcile them, requeueing after the plan's delay or with backoff after an error.
/// On shutdown the watches stop and each worker finishes the reconcile it is in.
/// </summary>
internal sealed class ImportJobController(IKubernetes client, IServiceProvider services, OperatorSettings settings, Leadership leadership,
    ControllerState state, OperatorMetrics metrics, TimeProvider time, ILoggerFactory loggers) : BackgroundService
{
    private readonly ILogger _logger = loggers.CreateLogger<ImportJobController>();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await leadership.WhenLeading.WaitAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        using var queue = new WorkQueue(time, settings.ErrorBackoff, settings.MaxErrorBackoff);
        ClusterView? view = null;
        // Watches use the real clock: their timeouts and the relist period are about the connection, not the imports.
        var importJobs = new Informer<ImportJob>(WatchedNamespaces.ImportJobs(client, settings.WatchedNamespaces),
            i => queue.Add($"{i.Metadata.Namespace}/{i.Metadata.Name}"), settings, TimeProvider.System, loggers.CreateLogger("Informer.ImportJobs"));
        var jobs = new Informer<V1Job>(WatchedNamespaces.RunnerJobs(client, settings.WatchedNamespaces),
            job => OnRunnerJobChanged(queue, view, job), settings, TimeProvider.System, loggers.CreateLogger("Informer.RunnerJobs"));
        view = new ClusterView(importJobs, jobs, time, settings.RunnerJobAppearTimeout);
        state.Attach(importJobs, jobs);

        var reconciler = ActivatorUtilities.CreateInstance<ImportJobReconciler>(services,
            new ImportJobApi(client, null), view);
        using var watching = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var informers = new[] { importJobs.RunAsync(watching.Token), jobs.RunAsync(watching.Token) };
        try
        {
            await Task.WhenAll(importJobs.Synced, jobs.Synced).WaitAsync(stoppingToken);
            _logger.LogInformation("Caches synced: {ImportJobCount} ImportJobs, {JobCount} runner Jobs", importJobs.Items.Count, jobs.Items.Count);
            state.MarkSynced();
            var workers = Enumerable.Range(0, Math.Max(1, settings.Workers)).Select(_ => WorkAsync(queue, reconciler, stoppingToken)).ToList();
            await Task.WhenAll(workers);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            await watching.CancelAsync();
            await Task.WhenAll(informers);
        }
    }

    private static void OnRunnerJobChanged(WorkQueue queue, ClusterView? view, V1Job job)
    {
        if (RunnerJobLabels.ImportJobOf(job.Metadata) is { } owner)
            queue.Add($"{job.Metadata.NamespaceProperty}/{owner}");
        // A run that ends frees a slot: ImportJobs held by the caps look again now.
        if (view is not null && RunnerJobObservation.HasEnded(job))
            foreach (var key in view.QueuedImportJobs())
                queue.Add(key);
    }

    private async Task WorkAsync(WorkQueue queue, ImportJobReconciler reconciler, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            string key;
            try
            {
                key = await queue.TakeAsync(stoppingToken);
            }
            catch (Exception e) when (e is OperationCanceledException or System.Threading.Channels.ChannelClosedException)
            {
                return;
            }

            var split = key.Split('/', 2);
            var started = Stopwatch.GetTimestamp();
            try
            {
                using (metrics.TimeReconcile())
                {
                    // Not the stopping token: a reconcile under way finishes (the host's shutdown timeout bounds it).
                    var requeue = await reconciler.ReconcileAsync(split[0], split[1], CancellationToken.None);
                    queue.Forget(key);
                    if (requeue is { } after)
                        queue.AddAfter(key, after);
                }
                _logger.LogDebug("Reconciled {ImportJobKey} in {ElapsedMs} ms", key, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
            catch (Exception e)
            {
                metrics.ReconcileFailed();
                var delay = queue.AddWithBackoff(key);
                _logger.LogWarning(e, "Reconciling {ImportJobKey} failed; again in {Delay}", key, delay);
            }
            finally
            {
                queue.Done(key);
            }
        }
    }
}
