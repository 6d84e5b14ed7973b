using System.Net;
using CallImport.ImportJobs;
using CallImport.Operator.Controller;
using CallImport.Operator.ApiServer;
using CallImport.Operator.Audit;
using CallImport.Operator.Metrics;
using CallImport.Operator.Notifications;
using CallImport.Operator.Runs;
using CallImport.Store;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace CallImport.Operator.Reconciliation;

/// <summary>
/// One ImportJob, top to bottom: observe (the resource, its runner Jobs and their pods, the Secret, the store's
/// progress, the caps, the clock) → decide (<see cref="ImportJobDecision.Decide"/>, pure) → act (Jobs, store,
/// Secret, finalizer) → report (status once, as a merge patch to /status, then the events).
/// </summary>
internal sealed class ImportJobReconciler(
    IKubernetes client,
    ImportJobApi importJobs,
    ClusterView cluster,
    ImportStore store,
    EventRecorder events,
    OperatorMetrics metrics,
    SlackNotifier notifier,
    AuditTrail audit,
    OperatorSettings settings,
    TimeProvider time,
    ILogger<ImportJobReconciler> logger)
{
    private const int StatusConflictAttempts = 3;

    /// <summary>Reconciles; returns when to look again without a watch event (null: only on the next event).</summary>
    public async Task<TimeSpan?> ReconcileAsync(string ns, string name, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var importJob = await importJobs.GetAsync(ns, name, cancellationToken);
            if (importJob is null)
            {
                metrics.Forget($"{ns}/{name}");
                return null;
            }

            var observed = await ObserveAsync(importJob, cancellationToken);
            var plan = ImportJobDecision.Decide(observed);
            if (plan.Actions.Any(a => a is ReconcileAction.CreateRunnerJob))
            {
                // Decide again on the caps as they are now, one start at a time, so no two starts share the last slot.
                await cluster.StartingRun.WaitAsync(cancellationToken);
                try
                {
                    plan = ImportJobDecision.Decide(observed with { Capacity = cluster.CapacityFor(importJob) });
                    importJob = await ActAsync(importJob, plan, cancellationToken);
                }
                finally
                {
                    cluster.StartingRun.Release();
                }
            }
            else
            {
                importJob = await ActAsync(importJob, plan, cancellationToken);
            }
            try
            {
                await ReportAsync(importJob, plan, cancellationToken);
                return plan.RequeueAfter;
            }
            catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Conflict && attempt < StatusConflictAttempts)
            {
                // Someone changed the ImportJob (an annotation, the spec) since we read it: decide again on the new one.
                logger.LogDebug("ImportJob {Namespace}/{ImportJob} changed while reconciling; again", ns, name);
            }
        }
    }

    private async Task<ObservedImportJob> ObserveAsync(ImportJob importJob, CancellationToken cancellationToken)
    {
        var finishedRuns = (importJob.Status?.Runs ?? []).Where(r => r.FinishedAt is not null).Select(r => r.Number).ToHashSet();
        var runnerJobs = new List<RunnerJobState>();
        foreach (var job in cluster.JobsOf(importJob))
        {
            // Pods only tell the exit code of a run that ended and is not yet recorded as such.
            var pods = RunnerJobObservation.HasEnded(job) && RunnerJobObservation.RunNumberOf(job) is { } n && !finishedRuns.Contains(n)
                ? (await client.CoreV1.ListNamespacedPodAsync(job.Metadata.NamespaceProperty, labelSelector: $"batch.kubernetes.io/job-name={job.Metadata.Name}",
                    cancellationToken: cancellationToken)).Items
                : [];
            runnerJobs.Add(RunnerJobObservation.Read(job, pods));
        }

        var progress = await store.GetProgressAsync(importJob.Metadata.Uid!, settings.RecentErrors, cancellationToken);
        return new ObservedImportJob(
            importJob,
            runnerJobs,
            await SecretAsync(importJob, cancellationToken),
            progress is null ? null : StoreProgress.From(progress),
            cluster.CapacityFor(importJob),
            settings,
            time.GetUtcNow());
    }

    /// <summary>The credentials Secret's key names (its values are never read here).</summary>
    private async Task<CredentialsSecretState> SecretAsync(ImportJob importJob, CancellationToken cancellationToken)
    {
        try
        {
            var secret = await client.CoreV1.ReadNamespacedSecretAsync(importJob.Spec.CredentialsSecretRef.Name, importJob.Metadata.Namespace, cancellationToken: cancellationToken);
            return new CredentialsSecretState(true, [.. (secret.Data?.Keys ?? []).Concat(secret.StringData?.Keys ?? [])]);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return CredentialsSecretState.Missing;
        }
    }

    private async Task<ImportJob> ActAsync(ImportJob importJob, ReconcilePlan plan, CancellationToken cancellationToken)
    {
        var ns = importJob.Metadata.Namespace!;
        foreach (var action in plan.Actions)
        {
            switch (action)
            {
                case ReconcileAction.CreateRunnerJob run:
                    await CreateRunnerJobAsync(importJob, run, cancellationToken);
                    break;
                case ReconcileAction.DeleteRunnerJob job:
                    await IgnoreNotFound(client.BatchV1.DeleteNamespacedJobAsync(job.JobName, ns, propagationPolicy: "Background", cancellationToken: cancellationToken));
                    logger.LogInformation("Deleted runner Job {Job} of {Namespace}/{ImportJob}", job.JobName, ns, importJob.Metadata.Name);
                    break;
                case ReconcileAction.ResetRetryableFailures retry:
                    var reset = await store.ResetRetryableFailuresAsync(importJob.Metadata.Uid!, cancellationToken);
                    await store.RecordStartErrorAsync(importJob.Metadata.Uid!, null, null, cancellationToken);
                    logger.LogInformation("Retry {RetryValue} of {Namespace}/{ImportJob}: {CallCount} calls back to pending", retry.RetryValue, ns, importJob.Metadata.Name, reset);
                    break;
                case ReconcileAction.DeleteCredentialsSecret secret:
                    await IgnoreNotFound(client.CoreV1.DeleteNamespacedSecretAsync(secret.SecretName, ns, cancellationToken: cancellationToken));
                    logger.LogInformation("Deleted credentials Secret {Secret} of {Namespace}/{ImportJob}", secret.SecretName, ns, importJob.Metadata.Name);
                    break;
                case ReconcileAction.AddFinalizer add:
                    importJob = await importJobs.PatchFinalizersAsync(importJob, [.. importJob.Metadata.Finalizers ?? [], add.Finalizer], cancellationToken);
                    break;
                case ReconcileAction.RemoveFinalizer remove:
                    // Not to be left half-done by a shutdown.
                    importJob = await importJobs.PatchFinalizersAsync(importJob, [.. (importJob.Metadata.Finalizers ?? []).Where(f => f != remove.Finalizer)], CancellationToken.None);
                    break;
                case ReconcileAction.EmitEvent:
                    break; // after the status, so a retried status write does not repeat them
            }
        }
        return importJob;
    }

    private async Task CreateRunnerJobAsync(ImportJob importJob, ReconcileAction.CreateRunnerJob run, CancellationToken cancellationToken)
    {
        try
        {
            await client.BatchV1.CreateNamespacedJobAsync(RunnerJobTemplate.Build(importJob, run, settings), importJob.Metadata.Namespace, cancellationToken: cancellationToken);
            cluster.RunnerJobCreated(importJob, run.JobName);
            metrics.RunStarted(importJob.Spec.Platform);
            logger.LogInformation("Created runner Job {Job} (run {RunNumber}) of {Namespace}/{ImportJob}", run.JobName, run.RunNumber, importJob.Metadata.Namespace, importJob.Metadata.Name);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Conflict)
        {
            // The name is deterministic: the Job exists from an earlier attempt, which is what we wanted.
        }
    }

    private async Task ReportAsync(ImportJob importJob, ReconcilePlan plan, CancellationToken cancellationToken)
    {
        var deleting = importJob.Metadata.DeletionTimestamp is not null;
        // Recorded in the same status write as the change, so no restart or new leader notifies it again.
        var notification = NotificationDecision.Decide(importJob, importJob.Status, plan.NewStatus, SlackChannel.DefaultOf(settings), time.GetUtcNow());
        plan = plan with { NewStatus = plan.NewStatus with { Notifications = notification.Record } };
        if (!deleting && plan.ChangesStatus(importJob.Status))
        {
            await importJobs.PatchStatusAsync(importJob, plan.NewStatus, cancellationToken);
            var (from, to) = (importJob.Status?.Phase, plan.NewStatus.Phase);
            if (from != to)
                logger.LogInformation("ImportJob {Namespace}/{ImportJob} is now {Phase} (was {PreviousPhase})", importJob.Metadata.Namespace, importJob.Metadata.Name, to, from ?? "new");
            metrics.Transition(importJob.Spec.Platform, from, plan.NewStatus);
            await audit.TransitionAsync(importJob, from, to, cancellationToken);
            if (notification.Channel is { } channel)
                notifier.Enqueue(new SlackDelivery(importJob, notification.Record!.LastNotifiedPhase, channel, SlackMessage.Build(importJob, plan.NewStatus, time.GetUtcNow())));
        }
        if (!deleting)
            metrics.Observe($"{importJob.Metadata.Namespace}/{importJob.Metadata.Name}", importJob.Spec.Platform, plan.NewStatus);
        foreach (var e in plan.Events)
            await events.RecordAsync(importJob, e.Type, e.Reason, e.Message, cancellationToken);
        await audit.ActionsAsync(importJob, plan.Actions, cancellationToken);
    }

    private static async Task IgnoreNotFound(Task call)
    {
        try
        {
            await call;
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
        }
    }
}
