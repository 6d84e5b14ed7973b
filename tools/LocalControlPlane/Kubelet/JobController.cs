using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace CallImport.LocalControlPlane.Kubelet;

/// <summary>
/// The Job controller's part: keeps <c>parallelism</c> pods running until <c>completions</c> succeed, or more
/// than <c>backoffLimit</c> fail, or <c>activeDeadlineSeconds</c> passes; counts finished pods into the Job's
/// status and then releases their tracking finalizer (the 1.32 order, so no pod is counted twice).
/// </summary>
internal sealed class JobController(IKubernetes client, EventRecorder events, ILogger logger, TimeProvider time)
{
    private readonly HashSet<string> _counted = [];

    public async Task SyncAsync(IReadOnlyList<V1Job> jobs, IReadOnlyList<V1Pod> pods, CancellationToken ct)
    {
        foreach (var job in jobs)
        {
            await SyncJobAsync(job, pods.Where(p => JobPods.BelongsTo(p, job)).ToList(), ct).ConfigureAwait(false);
        }

        // Pods whose Job is gone (orphaned, or cascading away): nothing will count them, so just let them go.
        foreach (var pod in pods.Where(p => JobPods.HasTrackingFinalizer(p) && JobPods.IsTerminal(p) && !jobs.Any(j => JobPods.BelongsTo(p, j))))
        {
            await ReleaseAsync(pod, ct).ConfigureAwait(false);
        }
    }

    private async Task SyncJobAsync(V1Job job, List<V1Pod> pods, CancellationToken ct)
    {
        var status = job.Status ?? new V1JobStatus();
        var conditions = status.Conditions is { Count: > 0 } existing ? JsonNode.Parse(KubernetesJson.Serialize(existing))!.AsArray() : [];
        var finished = status.Conditions?.Any(c => c.Type is "Complete" or "Failed" && c.Status == "True") == true;
        var uncounted = pods.Where(p => JobPods.IsTerminal(p) && JobPods.HasTrackingFinalizer(p) && !_counted.Contains(p.Metadata.Uid)).ToList();
        var succeeded = (status.Succeeded ?? 0) + uncounted.Count(p => p.Status.Phase == "Succeeded");
        var failed = (status.Failed ?? 0) + uncounted.Count(p => p.Status.Phase == "Failed");
        var live = pods.Where(p => !JobPods.IsTerminal(p)).ToList();
        var active = live.Where(p => p.Metadata.DeletionTimestamp is null).ToList();
        var now = time.GetUtcNow();
        DateTimeOffset? startTime = status.StartTime is { } started ? new DateTimeOffset(DateTime.SpecifyKind(started, DateTimeKind.Utc)) : null;
        DateTimeOffset? completionTime = null;
        var conditionsChanged = false;

        if (finished)
        {
            await ExpireAsync(job, now, ct).ConfigureAwait(false);
        }
        else if (job.Spec.Suspend == true)
        {
            // Suspending stops the pods and the clock; resuming restarts the clock (upstream resets startTime).
            conditionsChanged = SetCondition(conditions, "Suspended", "True", "JobSuspended", "Job suspended", now);
            await StopAsync(job, active, ct).ConfigureAwait(false);
            startTime = null;
        }
        else
        {
            if (conditions.OfType<JsonObject>().Any(c => (string?)c["type"] == "Suspended" && (string?)c["status"] == "True"))
            {
                conditionsChanged = SetCondition(conditions, "Suspended", "False", "JobResumed", "Job resumed", now);
                startTime = now;
            }

            startTime ??= now;
            var completions = job.Spec.Completions ?? 1;
            var parallelism = job.Spec.Parallelism ?? 1;
            var backoffLimit = job.Spec.BackoffLimit ?? 6;
            (string Type, string Reason, string Message)? outcome = null;
            if (failed > backoffLimit || PastBackoffLimitOnFailure(job, live, backoffLimit))
            {
                outcome = ("Failed", "BackoffLimitExceeded", "Job has reached the specified backoff limit");
            }
            else if (job.Spec.ActiveDeadlineSeconds is { } deadline && now - startTime.Value >= TimeSpan.FromSeconds(deadline))
            {
                outcome = ("Failed", "DeadlineExceeded", "Job was active longer than specified deadline");
            }
            else if (succeeded >= completions)
            {
                outcome = ("Complete", "CompletionsReached", "Reached expected number of succeeded pods");
                completionTime = now;
            }
            else
            {
                await CreatePodsAsync(job, Math.Min(parallelism, completions - succeeded) - active.Count, active, live, ct).ConfigureAwait(false);
            }

            if (outcome is { } decided)
            {
                var (type, reason, message) = decided;
                // From 1.31 the controller first records an interim condition, then the terminal one.
                SetCondition(conditions, type == "Complete" ? "SuccessCriteriaMet" : "FailureTarget", "True", reason, message, now);
                SetCondition(conditions, type, "True", reason, message, now);
                conditionsChanged = true;
                KubeletLog.JobFinished(logger, job.Metadata.NamespaceProperty, job.Metadata.Name, type, reason);
                await events.JobAsync(job, type == "Complete" ? "Normal" : "Warning", type == "Complete" ? "Completed" : reason,
                    type == "Complete" ? "Job completed" : message, ct).ConfigureAwait(false);

                // A finished Job stops its remaining pods, as the real controller does.
                await StopAsync(job, active, ct).ConfigureAwait(false);
            }
        }

        var ready = active.Count(p => p.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true);
        var terminating = live.Count - active.Count;
        var unchanged = !conditionsChanged && Same(status.StartTime, startTime) && status.Succeeded == succeeded && status.Failed == failed
            && (status.Active ?? 0) == active.Count && (status.Ready ?? 0) == ready && (status.Terminating ?? 0) == terminating;
        if (!unchanged)
        {
            var patch = StatusPatch(startTime, active.Count, ready, terminating, succeeded, failed, conditionsChanged ? conditions : null, completionTime);
            await client.BatchV1.PatchNamespacedJobStatusAsync(
                new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch), job.Metadata.Name, job.Metadata.NamespaceProperty, cancellationToken: ct).ConfigureAwait(false);
        }

        foreach (var pod in uncounted)
        {
            _counted.Add(pod.Metadata.Uid);
            await ReleaseAsync(pod, ct).ConfigureAwait(false);
        }
    }

    private async Task CreatePodsAsync(V1Job job, int count, List<V1Pod> active, List<V1Pod> live, CancellationToken ct)
    {
        for (var i = 0; i < count; i++)
        {
            var created = await client.CoreV1.CreateNamespacedPodAsync(JobPods.FromTemplate(job), job.Metadata.NamespaceProperty, cancellationToken: ct).ConfigureAwait(false);
            KubeletLog.PodCreated(logger, job.Metadata.NamespaceProperty, job.Metadata.Name, created.Metadata.Name);
            await events.JobAsync(job, "Normal", "SuccessfulCreate", $"Created pod: {created.Metadata.Name}", ct).ConfigureAwait(false);
            active.Add(created);
            live.Add(created);
        }
    }

    private async Task StopAsync(V1Job job, List<V1Pod> active, CancellationToken ct)
    {
        foreach (var pod in active)
        {
            await DeleteAsync(pod, ct).ConfigureAwait(false);
            await events.JobAsync(job, "Normal", "SuccessfulDelete", $"Deleted pod: {pod.Metadata.Name}", ct).ConfigureAwait(false);
        }

        active.Clear();
    }

    // The TTL-after-finished controller: a finished Job with ttlSecondsAfterFinished goes (Foreground, as upstream) once it expires.
    private async Task ExpireAsync(V1Job job, DateTimeOffset now, CancellationToken ct)
    {
        var finishedAt = job.Status.CompletionTime
            ?? job.Status.Conditions?.FirstOrDefault(c => c.Type == "Failed" && c.Status == "True")?.LastTransitionTime;
        if (job.Spec.TtlSecondsAfterFinished is not { } ttl || finishedAt is not { } at || job.Metadata.DeletionTimestamp is not null
            || now < new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc)) + TimeSpan.FromSeconds(ttl))
        {
            return;
        }

        await IgnoreMissingAsync(() => client.BatchV1.DeleteNamespacedJobAsync(
            job.Metadata.Name, job.Metadata.NamespaceProperty, propagationPolicy: "Foreground", cancellationToken: ct)).ConfigureAwait(false);
    }

    /// <summary>Sets a condition by type; true when anything about it changed (lastTransitionTime only moves when status does).</summary>
    private static bool SetCondition(JsonArray conditions, string type, string status, string reason, string message, DateTimeOffset now)
    {
        var existing = conditions.OfType<JsonObject>().FirstOrDefault(c => (string?)c["type"] == type);
        if (existing is not null && (string?)existing["status"] == status && (string?)existing["reason"] == reason)
        {
            return false;
        }

        var condition = Condition(type, status, reason, message, now);
        if (existing is null)
        {
            conditions.Add(condition);
        }
        else
        {
            conditions[conditions.IndexOf(existing)] = condition;
        }

        return true;
    }

    private static bool Same(DateTime? stored, DateTimeOffset? wanted) =>
        stored is null ? wanted is null : wanted is not null && KubeTime.Format(new DateTimeOffset(DateTime.SpecifyKind(stored.Value, DateTimeKind.Utc))) == KubeTime.Format(wanted.Value);

    // With OnFailure the pods restart in place, so their restarts are the failures that count (as upstream's pastBackoffLimitOnFailure).
    private static bool PastBackoffLimitOnFailure(V1Job job, List<V1Pod> live, int backoffLimit)
    {
        if (job.Spec.Template.Spec.RestartPolicy != "OnFailure")
        {
            return false;
        }

        var restarts = live.Sum(p => p.Status?.ContainerStatuses?.Sum(c => c.RestartCount) ?? 0);
        return backoffLimit == 0 ? restarts > 0 : restarts >= backoffLimit;
    }

    private static JsonObject StatusPatch(DateTimeOffset? startTime, int active, int ready, int terminating, int succeeded, int failed,
        JsonArray? conditions, DateTimeOffset? completionTime)
    {
        var body = new JsonObject
        {
            ["startTime"] = startTime is { } start ? KubeTime.Format(start) : null,
            ["active"] = active,
            ["ready"] = ready,
            ["terminating"] = terminating,
            ["succeeded"] = succeeded,
            ["failed"] = failed,
            ["uncountedTerminatedPods"] = new JsonObject(),
        };
        if (conditions is not null)
        {
            body["conditions"] = conditions.DeepClone();
        }

        if (completionTime is { } completed)
        {
            body["completionTime"] = KubeTime.Format(completed);
        }

        return new JsonObject { ["status"] = body };
    }

    private static JsonObject Condition(string type, string status, string reason, string message, DateTimeOffset now) => new()
    {
        ["type"] = type,
        ["status"] = status,
        ["reason"] = reason,
        ["message"] = message,
        ["lastProbeTime"] = KubeTime.Format(now),
        ["lastTransitionTime"] = KubeTime.Format(now),
    };

    private async Task ReleaseAsync(V1Pod pod, CancellationToken ct)
    {
        var remaining = new JsonArray([.. (pod.Metadata.Finalizers ?? []).Where(f => f != JobLabels.TrackingFinalizer).Select(f => JsonValue.Create(f))]);
        var patch = new JsonObject { ["metadata"] = new JsonObject { ["finalizers"] = remaining.Count == 0 ? null : remaining } };
        await IgnoreMissingAsync(() => client.CoreV1.PatchNamespacedPodAsync(
            new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch), pod.Metadata.Name, pod.Metadata.NamespaceProperty, cancellationToken: ct)).ConfigureAwait(false);
    }

    private Task DeleteAsync(V1Pod pod, CancellationToken ct) =>
        IgnoreMissingAsync(() => client.CoreV1.DeleteNamespacedPodAsync(pod.Metadata.Name, pod.Metadata.NamespaceProperty, cancellationToken: ct));

    private static async Task IgnoreMissingAsync<T>(Func<Task<T>> write)
    {
        try
        {
            await write().ConfigureAwait(false);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            // Already gone: nothing left to do.
        }
    }
}
