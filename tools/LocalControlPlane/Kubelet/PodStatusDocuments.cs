using System.Text.Json.Nodes;
using k8s.Models;

namespace CallImport.LocalControlPlane.Kubelet;

/// <summary>The pod <c>status</c> the kubelet reports at each stage of a container's life (merge-patched to <c>/status</c>).</summary>
internal static class PodStatusDocuments
{
    public static JsonObject Waiting(V1Pod pod, V1Container container, string reason, string message, DateTimeOffset now) =>
        Status("Pending", pod, now, ready: false, containersStarted: false,
            ContainerStatus(container, new JsonObject { ["waiting"] = new JsonObject { ["reason"] = reason, ["message"] = message } }, ready: false));

    public static JsonObject CrashLoopBackOff(V1Pod pod, V1Container container, ContainerRestarts restarts, TimeSpan delay, DateTimeOffset now)
    {
        var message = $"back-off {(int)delay.TotalSeconds}s restarting failed container={container.Name} pod={pod.Metadata.Name}_{pod.Metadata.NamespaceProperty}({pod.Metadata.Uid})";
        var waiting = new JsonObject { ["waiting"] = new JsonObject { ["reason"] = "CrashLoopBackOff", ["message"] = message } };
        return Status("Running", pod, now, ready: false, containersStarted: true, ContainerStatus(container, waiting, ready: false, null, restarts));
    }

    public static JsonObject Running(V1Pod pod, V1Container container, int pid, DateTimeOffset startedAt, DateTimeOffset now, ContainerRestarts restarts) =>
        Status("Running", pod, now, ready: true, containersStarted: true,
            ContainerStatus(container, new JsonObject { ["running"] = new JsonObject { ["startedAt"] = KubeTime.Format(startedAt) } }, ready: true, pid, restarts));

    public static JsonObject Terminated(V1Pod pod, V1Container container, int exitCode, string reason, string? message,
        DateTimeOffset startedAt, DateTimeOffset finishedAt, int? pid, ContainerRestarts restarts) =>
        Status(exitCode == 0 ? "Succeeded" : "Failed", pod, finishedAt, ready: false, containersStarted: false,
            ContainerStatus(container, new JsonObject { ["terminated"] = TerminatedState(exitCode, reason, message, startedAt, finishedAt, pid) }, ready: false, pid, restarts));

    /// <summary>The <c>terminated</c> state of a container (also its <c>lastState</c> after an in-place restart).</summary>
    public static JsonObject TerminatedState(int exitCode, string reason, string? message, DateTimeOffset startedAt, DateTimeOffset finishedAt, int? pid)
    {
        var terminated = new JsonObject
        {
            ["exitCode"] = exitCode,
            ["reason"] = reason,
            ["startedAt"] = KubeTime.Format(startedAt),
            ["finishedAt"] = KubeTime.Format(finishedAt),
        };
        if (message is not null)
        {
            terminated["message"] = message;
        }

        if (pid is { } id)
        {
            terminated["containerID"] = ContainerId(id);
        }

        return terminated;
    }

    /// <summary>
    /// Kubernetes' reason for a container's exit code: a SIGKILL (137) is <c>Error</c>, as the runtime reports it;
    /// only the cgroup's OOM killer makes <c>OOMKilled</c>, and nothing here enforces memory limits.
    /// </summary>
    public static string ExitReason(int exitCode) => exitCode == 0 ? "Completed" : "Error";

    private static JsonObject Status(string phase, V1Pod pod, DateTimeOffset now, bool ready, bool containersStarted, JsonObject containerStatus)
    {
        var transition = KubeTime.Format(now);
        var readyReason = phase is "Succeeded" or "Failed" ? "PodCompleted" : "ContainersNotReady";
        return new JsonObject
        {
            ["phase"] = phase,
            ["hostIP"] = LocalNode.Address,
            ["hostIPs"] = new JsonArray(new JsonObject { ["ip"] = LocalNode.Address }),
            ["podIP"] = LocalNode.Address,
            ["podIPs"] = new JsonArray(new JsonObject { ["ip"] = LocalNode.Address }),
            ["startTime"] = pod.Status?.StartTime is { } start ? KubeTime.Format(start) : transition,
            ["qosClass"] = "BestEffort",
            ["conditions"] = new JsonArray(
                Condition("PodReadyToStartContainers", containersStarted || phase != "Pending", null, transition),
                Condition("Initialized", true, null, transition),
                Condition("Ready", ready, ready ? null : readyReason, transition),
                Condition("ContainersReady", ready, ready ? null : readyReason, transition),
                Condition("PodScheduled", true, null, transition)),
            ["containerStatuses"] = new JsonArray(containerStatus),
        };
    }

    private static JsonObject ContainerStatus(V1Container container, JsonObject state, bool ready, int? pid = null, ContainerRestarts? restarts = null)
    {
        var status = new JsonObject
        {
            ["name"] = container.Name,
            ["image"] = container.Image,
            ["imageID"] = "",
            ["ready"] = ready,
            ["started"] = state.ContainsKey("running"),
            ["restartCount"] = restarts?.Count ?? 0,
            ["state"] = state,
            ["lastState"] = restarts?.LastTerminated is { } last ? new JsonObject { ["terminated"] = last.DeepClone() } : new JsonObject(),
        };
        if (pid is { } id)
        {
            status["containerID"] = ContainerId(id);
        }

        return status;
    }

    private static JsonObject Condition(string type, bool status, string? reason, string transition)
    {
        var condition = new JsonObject { ["type"] = type, ["status"] = status ? "True" : "False", ["lastProbeTime"] = null, ["lastTransitionTime"] = transition };
        if (reason is not null)
        {
            condition["reason"] = reason;
        }

        return condition;
    }

    internal static string ContainerId(int pid) => $"local://{pid}";
}

/// <summary>How often a container was restarted in place (restartPolicy OnFailure) and how its last run ended.</summary>
internal sealed record ContainerRestarts(int Count, JsonObject? LastTerminated)
{
    public static ContainerRestarts None { get; } = new(0, null);
}
