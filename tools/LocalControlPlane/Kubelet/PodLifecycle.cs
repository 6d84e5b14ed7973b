using System.Collections.Concurrent;
using System.ComponentModel;
using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace CallImport.LocalControlPlane.Kubelet;

/// <summary>
/// The node half of the kubelet: starts each pod's first container as a host process, reports the pod's
/// phase and container state through <c>pods/{name}/status</c>, and kills the process when the pod is deleted.
/// </summary>
internal sealed class PodLifecycle(IKubernetes client, KubeletOptions options, EventRecorder events, ILogger logger, TimeProvider time, Action changed) : IDisposable
{
    private readonly ConcurrentDictionary<string, RunningContainer> _running = new();
    private readonly Dictionary<string, string> _waitingReported = [];
    private readonly HashSet<string> _finished = [];
    private readonly Dictionary<string, (DateTimeOffset At, ContainerRestarts Restarts)> _restartDue = [];

    /// <summary>Pod ("namespace/name") → OS process id of its container, for the pods running now.</summary>
    public IReadOnlyDictionary<string, int> RunningProcesses =>
        _running.Values.ToDictionary(r => $"{r.Namespace}/{r.Name}", r => r.Process.Pid);

    /// <summary>Brings one pod one step forward; returns the pod as it is after any status write.</summary>
    public async Task<V1Pod> SyncAsync(V1Pod pod, CancellationToken ct)
    {
        var uid = pod.Metadata.Uid;
        if (_running.TryGetValue(uid, out var running))
        {
            if (running.Process.Exited.IsCompleted)
            {
                return await ReportExitAsync(pod, running, ct).ConfigureAwait(false);
            }

            if (pod.Metadata.DeletionTimestamp is null && pod.Spec.ActiveDeadlineSeconds is { } deadline
                && time.GetUtcNow() - running.Process.StartedAt >= TimeSpan.FromSeconds(deadline) && !running.Process.KilledByKubelet)
            {
                KubeletLog.PodKilled(logger, running.Namespace, running.Name, running.Process.Pid, "activeDeadlineSeconds passed");
                running.DeadlineExceeded = true;
                running.Process.Kill();
            }

            if (pod.Metadata.DeletionTimestamp is not null && !running.Process.KilledByKubelet)
            {
                KubeletLog.PodKilled(logger, running.Namespace, running.Name, running.Process.Pid, "pod deleted");
                running.Process.Kill();
                await events.PodAsync(pod, EventRecorder.KubeletComponent, "Normal", "Killing", $"Stopping container {running.Container.Name}", ct).ConfigureAwait(false);
            }

            return pod;
        }

        if (_finished.Contains(uid) || pod.Status?.Phase is "Succeeded" or "Failed")
        {
            return pod;
        }

        var container = pod.Spec.Containers[0];
        if (pod.Metadata.DeletionTimestamp is not null)
        {
            return await PatchTerminalAsync(pod, container, 137, "Error", "The pod was deleted before its container ran", time.GetUtcNow(), null, ct).ConfigureAwait(false);
        }

        if (_restartDue.TryGetValue(uid, out var due))
        {
            if (time.GetUtcNow() < due.At)
            {
                return pod;
            }

            _restartDue.Remove(uid);
            return await StartAsync(pod, container, due.Restarts, ct).ConfigureAwait(false);
        }

        if (pod.Status?.Phase == "Running")
        {
            // Running but not ours: the kubelet restarted and the process is gone, as after a node reboot.
            return await PatchTerminalAsync(pod, container, 137, "ContainerStatusUnknown",
                "The container could not be located when the pod was terminated", time.GetUtcNow(), null, ct).ConfigureAwait(false);
        }

        return await StartAsync(pod, container, ContainerRestarts.None, ct).ConfigureAwait(false);
    }

    /// <summary>Kills containers whose pods no longer exist (deleted without finalizers, or force-deleted).</summary>
    public void ForgetAllBut(IReadOnlySet<string> presentUids)
    {
        foreach (var (uid, running) in _running)
        {
            if (!presentUids.Contains(uid) && _running.TryRemove(uid, out _))
            {
                KubeletLog.PodKilled(logger, running.Namespace, running.Name, running.Process.Pid, "pod is gone");
                running.Process.Kill();
                running.Process.Dispose();
            }
        }

        _finished.IntersectWith(presentUids);
        PodVolumes.RemoveGone(options.WorkRoot, presentUids);
        foreach (var uid in _restartDue.Keys.Where(u => !presentUids.Contains(u)).ToList())
        {
            _restartDue.Remove(uid);
        }

        foreach (var uid in _waitingReported.Keys.Where(u => !presentUids.Contains(u)).ToList())
        {
            _waitingReported.Remove(uid);
        }
    }

    public void Dispose()
    {
        foreach (var running in _running.Values)
        {
            running.Process.Kill();
            running.Process.Dispose();
        }

        _running.Clear();
    }

    private async Task<V1Pod> StartAsync(V1Pod pod, V1Container container, ContainerRestarts restarts, CancellationToken ct)
    {
        var ns = pod.Metadata.NamespaceProperty;
        var podDir = PodDirectory(pod);
        var workDir = Path.Combine(podDir, "work");
        Directory.CreateDirectory(workDir);
        var logPath = Path.Combine(podDir, $"{container.Name}.log");
        if (!File.Exists(logPath))
        {
            await File.WriteAllTextAsync(logPath, "", ct).ConfigureAwait(false);
            options.LogFileOpened?.Invoke(ns, pod.Metadata.Name, logPath);
        }

        IReadOnlyList<string> argv;
        Dictionary<string, string> env;
        try
        {
            var references = new PodReferences(client, ns);
            env = InheritedEnvironment();
            env["HOSTNAME"] = pod.Metadata.Name;
            foreach (var (name, value) in await ContainerEnvironment.ResolveAsync(pod, container, references, ct).ConfigureAwait(false))
            {
                env[name] = value;
            }

            var mounts = await PodVolumes.MountAsync(pod, container, Path.Combine(podDir, "volumes"), references, ct).ConfigureAwait(false);
            env[PathMap.Variable] = PathMap.Format(mounts);
            if (!string.IsNullOrEmpty(container.WorkingDir))
            {
                var mapped = PathMap.Resolve(env[PathMap.Variable], container.WorkingDir);
                workDir = mapped != container.WorkingDir ? mapped : workDir;
            }

            argv = ContainerCommand.Resolve(container, options, env);
        }
        catch (ContainerConfigException e)
        {
            return await ReportWaitingAsync(pod, container, e, ct).ConfigureAwait(false);
        }

        if (restarts.Count == 0)
        {
            await events.PodAsync(pod, "default-scheduler", "Normal", "Scheduled",
                $"Successfully assigned {ns}/{pod.Metadata.Name} to {LocalNode.Name}", ct).ConfigureAwait(false);
        }

        ContainerProcess process;
        var startedAt = time.GetUtcNow();
        try
        {
            process = ContainerProcess.Start(argv, env, workDir, logPath, startedAt);
        }
        catch (Exception e) when (e is FileNotFoundException or Win32Exception or UnauthorizedAccessException or IOException)
        {
            // The runtime could not exec the command: StartError with exit code 128, as containerd reports it.
            await File.AppendAllTextAsync(logPath, e.Message + Environment.NewLine, ct).ConfigureAwait(false);
            await AnnotateAsync(pod, logPath, null, ct).ConfigureAwait(false);
            await events.PodAsync(pod, EventRecorder.KubeletComponent, "Warning", "Failed", $"Error: failed to start container \"{container.Name}\": {e.Message}", ct).ConfigureAwait(false);
            return await PatchTerminalAsync(pod, container, 128, "StartError", e.Message, startedAt, null, ct, restarts).ConfigureAwait(false);
        }

        var running = new RunningContainer(ns, pod.Metadata.Name, container, process, restarts);
        _running[pod.Metadata.Uid] = running;
        _waitingReported.Remove(pod.Metadata.Uid);
        _ = process.Exited.ContinueWith(_ => changed(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        KubeletLog.PodStarted(logger, ns, pod.Metadata.Name, process.Pid, argv[0]);

        await AnnotateAsync(pod, logPath, process.Pid, ct).ConfigureAwait(false);
        await events.PodAsync(pod, EventRecorder.KubeletComponent, "Normal", "Started", $"Started container {container.Name}", ct).ConfigureAwait(false);
        var status = PodStatusDocuments.Running(pod, container, process.Pid, startedAt, time.GetUtcNow(), restarts);
        return await PatchStatusAsync(pod, status, ct).ConfigureAwait(false) ?? pod;
    }

    private async Task<V1Pod> ReportExitAsync(V1Pod pod, RunningContainer running, CancellationToken ct)
    {
        var exitCode = await running.Process.Exited.ConfigureAwait(false);
        var reason = running.DeadlineExceeded ? "DeadlineExceeded" : PodStatusDocuments.ExitReason(exitCode);
        KubeletLog.PodExited(logger, running.Namespace, running.Name, exitCode, reason);
        if (exitCode != 0 && pod.Spec.RestartPolicy == "OnFailure" && !running.Process.KilledByKubelet)
        {
            // OnFailure restarts the container in place after a doubling back-off (CrashLoopBackOff);
            // restartCount counts toward the Job's backoffLimit.
            var last = PodStatusDocuments.TerminatedState(exitCode, reason, null, running.Process.StartedAt, time.GetUtcNow(), running.Process.Pid);
            var restarts = new ContainerRestarts(running.Restarts.Count + 1, last);
            var delay = TimeSpan.FromTicks(Math.Min(options.CrashLoopBackOff.Ticks << Math.Min(running.Restarts.Count, 16), TimeSpan.FromMinutes(5).Ticks));
            _restartDue[pod.Metadata.Uid] = (time.GetUtcNow() + delay, restarts);
            Forget(pod.Metadata.Uid, running);
            var waiting = PodStatusDocuments.CrashLoopBackOff(pod, running.Container, restarts, delay, time.GetUtcNow());
            return await PatchStatusAsync(pod, waiting, ct).ConfigureAwait(false) ?? pod;
        }

        var message = running.DeadlineExceeded ? "Pod was active on the node longer than the specified deadline" : null;
        var updated = await PatchTerminalAsync(pod, running.Container, exitCode, reason, message, running.Process.StartedAt, running.Process.Pid, ct, running.Restarts).ConfigureAwait(false);
        Forget(pod.Metadata.Uid, running);
        PodVolumes.RemoveSecrets(pod, Path.Combine(PodDirectory(pod), "volumes"));
        return updated;
    }

    private string PodDirectory(V1Pod pod) => Path.Combine(options.WorkRoot, $"{pod.Metadata.NamespaceProperty}_{pod.Metadata.Name}_{pod.Metadata.Uid}");

    private void Forget(string uid, RunningContainer running)
    {
        _running.TryRemove(uid, out _);
        running.Process.Dispose();
    }

    private async Task<V1Pod> PatchTerminalAsync(V1Pod pod, V1Container container, int exitCode, string reason, string? message,
        DateTimeOffset startedAt, int? pid, CancellationToken ct, ContainerRestarts? restarts = null)
    {
        var status = PodStatusDocuments.Terminated(pod, container, exitCode, reason, message, startedAt, time.GetUtcNow(), pid, restarts ?? ContainerRestarts.None);
        var updated = await PatchStatusAsync(pod, status, ct).ConfigureAwait(false);
        _finished.Add(pod.Metadata.Uid);
        return updated ?? pod;
    }

    private async Task<V1Pod> ReportWaitingAsync(V1Pod pod, V1Container container, ContainerConfigException e, CancellationToken ct)
    {
        var report = $"{e.Reason}: {e.Message}";
        if (_waitingReported.TryGetValue(pod.Metadata.Uid, out var last) && last == report)
        {
            return pod;
        }

        KubeletLog.PodWaiting(logger, pod.Metadata.NamespaceProperty, pod.Metadata.Name, e.Reason, e.Message);
        _waitingReported[pod.Metadata.Uid] = report;
        await events.PodAsync(pod, EventRecorder.KubeletComponent, "Warning", "Failed", $"Error: {e.Message}", ct).ConfigureAwait(false);
        var status = PodStatusDocuments.Waiting(pod, container, e.Reason, e.Message, time.GetUtcNow());
        return await PatchStatusAsync(pod, status, ct).ConfigureAwait(false) ?? pod;
    }

    private async Task AnnotateAsync(V1Pod pod, string logPath, int? pid, CancellationToken ct)
    {
        var annotations = new JsonObject { [PodAnnotations.LogPath] = logPath };
        if (pid is { } id)
        {
            annotations[PodAnnotations.ProcessId] = id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        var patch = new JsonObject { ["metadata"] = new JsonObject { ["annotations"] = annotations } };
        await IgnoreMissingAsync(() => client.CoreV1.PatchNamespacedPodAsync(
            new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch), pod.Metadata.Name, pod.Metadata.NamespaceProperty, cancellationToken: ct)).ConfigureAwait(false);
    }

    private Task<V1Pod?> PatchStatusAsync(V1Pod pod, JsonObject status, CancellationToken ct)
    {
        var patch = new JsonObject { ["status"] = status };
        return IgnoreMissingAsync(() => client.CoreV1.PatchNamespacedPodStatusAsync(
            new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch), pod.Metadata.Name, pod.Metadata.NamespaceProperty, cancellationToken: ct));
    }

    private static async Task<V1Pod?> IgnoreMissingAsync(Func<Task<V1Pod>> write)
    {
        try
        {
            return await write().ConfigureAwait(false);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    private Dictionary<string, string> InheritedEnvironment()
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in options.InheritedEnvironment)
        {
            if (Environment.GetEnvironmentVariable(name) is { } value)
            {
                env[name] = value;
            }
        }

        return env;
    }

    private sealed record RunningContainer(string Namespace, string Name, V1Container Container, ContainerProcess Process, ContainerRestarts Restarts)
    {
        public bool DeadlineExceeded { get; set; }
    }
}
