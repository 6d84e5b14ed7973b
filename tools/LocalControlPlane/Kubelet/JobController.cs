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
        var finished = status.Conditions?.Any(c => c.Type is "Complete" or "Failed" && c.Status == "True") == true;
        var uncounted = pods.Where(p => JobPods.IsTerminal(p) && JobPods.HasTrackingFinalizer(p) && !_counted.Contains(p.Metadata.Uid)).ToList();
        var succeeded = (status.Succeeded ?? 0) + uncounted.Count(p => p.Status.Phase == "Succeeded");
        var failed = (status.Failed ?? 0) + uncounted.Count(p => p.Status.Phase == "Failed");
        var live = pods.Where(p => !JobPods.IsTerminal(p)).ToList();
        var active = live.Where(p => p.Metadata.DeletionTimestamp is null).ToList();
        var now = time.GetUtcNow();
        var startTime = status.StartTime is { } started ? new DateTimeOffset(DateTime.SpecifyKind(started, DateTimeKind.Utc)) : now;
        var newConditions = new List<JsonObject>();
        DateTimeOffset? completionTime = null;

        if (!finished && job.Spec.Suspend != true)
        {
            var completions = job.Spec.Completions ?? 1;
            var parallelism = job.Spec.Parallelism ?? 1;
            var backoffLimit = job.Spec.BackoffLimit ?? 6;
            if (failed > backoffLimit || PastBackoffLimitOnFailure(job, live, backoffLimit))
            {
                newConditions.AddRange(Failure("BackoffLimitExceeded", "Job has reached the specified backoff limit", now));
            }
            else if (job.Spec.ActiveDeadlineSeconds is { } deadline && now - startTime >= TimeSpan.FromSeconds(deadline))
            {
                newConditions.AddRange(Failure("DeadlineExceeded", "Job was active longer than specified deadline", now));
            }
            else if (succeeded >= completions)
            {
                newConditions.Add(Condition("SuccessCriteriaMet", "CompletionsReached", "Reached expected number of succeeded pods", now));
                newConditions.Add(Condition("Complete", "CompletionsReached", "Reached expected number of succeeded pods", now));
                completionTime = now;
            }
            else
            {
                var wanted = Math.Min(parallelism, completions - succeeded) - active.Count;
                for (var i = 0; i < wanted; i++)
                {
                    var created = await client.CoreV1.CreateNamespacedPodAsync(JobPods.FromTemplate(job), job.Metadata.NamespaceProperty, cancellationToken: ct).ConfigureAwait(false);
                    KubeletLog.PodCreated(logger, job.Metadata.NamespaceProperty, job.Metadata.Name, succeeded, completions);
                    await events.JobAsync(job, "Normal", "SuccessfulCreate", $"Created pod: {created.Metadata.Name}", ct).ConfigureAwait(false);
                    active.Add(created);
                    live.Add(created);
                }
            }

            if (newConditions.Count > 0)
            {
                KubeletLog.JobFinished(logger, job.Metadata.NamespaceProperty, job.Metadata.Name,
                    newConditions[^1]["type"]!.GetValue<string>(), newConditions[^1]["reason"]!.GetValue<string>());
                var last = newConditions[^1];
                var succeededJob = (string?)last["type"] == "Complete";
                await events.JobAsync(job, succeededJob ? "Normal" : "Warning", succeededJob ? "Completed" : (string)last["reason"]!,
                    succeededJob ? "Job completed" : (string)last["message"]!, ct).ConfigureAwait(false);

                // A finished Job stops its remaining pods, as the real controller does.
                foreach (var pod in active)
                {
                    await DeleteAsync(pod, ct).ConfigureAwait(false);
                    await events.JobAsync(job, "Normal", "SuccessfulDelete", $"Deleted pod: {pod.Metadata.Name}", ct).ConfigureAwait(false);
                }

                active.Clear();
            }
        }

        var ready = active.Count(p => p.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true);
        var terminating = live.Count - active.Count;
        var unchanged = newConditions.Count == 0 && status.StartTime is not null && status.Succeeded == succeeded && status.Failed == failed
            && (status.Active ?? 0) == active.Count && (status.Ready ?? 0) == ready && (status.Terminating ?? 0) == terminating;
        if (!unchanged)
        {
            var patch = StatusPatch(status, startTime, active.Count, ready, terminating, succeeded, failed, newConditions, completionTime);
            await client.BatchV1.PatchNamespacedJobStatusAsync(
                new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch), job.Metadata.Name, job.Metadata.NamespaceProperty, cancellationToken: ct).ConfigureAwait(false);
        }

        foreach (var pod in uncounted)
        {
            _counted.Add(pod.Metadata.Uid);
            await ReleaseAsync(pod, ct).ConfigureAwait(false);
        }
    }

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

    private static JsonObject StatusPatch(V1JobStatus status, DateTimeOffset startTime, int active, int ready, int terminating, int succeeded, int failed,
        List<JsonObject> newConditions, DateTimeOffset? completionTime)
    {
        var body = new JsonObject
        {
            ["startTime"] = KubeTime.Format(startTime),
            ["active"] = active,
            ["ready"] = ready,
            ["terminating"] = terminating,
            ["succeeded"] = succeeded,
            ["failed"] = failed,
            ["uncountedTerminatedPods"] = new JsonObject(),
        };
        if (newConditions.Count > 0)
        {
            var conditions = status.Conditions is { Count: > 0 } existing
                ? JsonNode.Parse(KubernetesJson.Serialize(existing))!.AsArray()
                : [];
            foreach (var condition in newConditions)
            {
                conditions.Add(condition);
            }

            body["conditions"] = conditions;
        }

        if (completionTime is { } completed)
        {
            body["completionTime"] = KubeTime.Format(completed);
        }

        return new JsonObject { ["status"] = body };
    }

    // From 1.31 the controller first records the interim FailureTarget, then the terminal Failed.
    private static IEnumerable<JsonObject> Failure(string reason, string message, DateTimeOffset now) =>
        [Condition("FailureTarget", reason, message, now), Condition("Failed", reason, message, now)];

    private static JsonObject Condition(string type, string reason, string message, DateTimeOffset now) => new()
    {
        ["type"] = type,
        ["status"] = "True",
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
