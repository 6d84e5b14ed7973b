using k8s;
using k8s.Models;

namespace CallImport.LocalControlPlane.Tests.Kubelet;

public sealed class JobPolicyTests
{
    [Fact]
    public async Task JobWithThreeCompletionsAndParallelismTwo_SucceedsThreePods()
    {
        await using var cluster = await KubeletCluster.StartAsync();
        await cluster.CreateJobAsync("batch", ["/bin/sh", "-c", "exit 0"], configure: job =>
        {
            job.Spec.Completions = 3;
            job.Spec.Parallelism = 2;
        });

        var done = await cluster.JobWithConditionAsync("batch", "Complete");

        Assert.Equal(3, done.Status.Succeeded);
        var pods = await cluster.PodsOfAsync("batch");
        Assert.Equal(3, pods.Count);
        Assert.All(pods, p => Assert.Equal("Succeeded", p.Status.Phase));
    }

    [Fact]
    public async Task OnFailurePod_RestartsInPlaceUntilTheRestartsPassTheBackoffLimit()
    {
        await using var cluster = await KubeletCluster.StartAsync(o => o.CrashLoopBackOff = TimeSpan.FromSeconds(2));
        await cluster.CreateJobAsync("flaky", ["/bin/sh", "-c", "exit 1"], backoffLimit: 2, configure: job =>
            job.Spec.Template.Spec.RestartPolicy = "OnFailure");

        // After its first failure the pod waits 2 s in CrashLoopBackOff with restartCount 1: time enough to see it.
        // The second failure reaches backoffLimit 2 and fails the Job.
        var restarted = await KubeletCluster.EventuallyAsync(async () => (await cluster.PodsOfAsync("flaky")).FirstOrDefault(p =>
            p.Status?.ContainerStatuses?.SingleOrDefault()?.RestartCount >= 1), "the container to restart in place");
        var failed = await cluster.JobWithConditionAsync("flaky", "Failed");

        var container = restarted.Status.ContainerStatuses.Single();
        Assert.Equal(1, container.LastState.Terminated.ExitCode);
        Assert.Equal("Running", restarted.Status.Phase);
        Assert.Equal("BackoffLimitExceeded", failed.Status.Conditions.Single(c => c.Type == "Failed").Reason);
        // The failed Job stops its one pod, which is then counted as its one failure.
        await KubeletCluster.EventuallyAsync(async () =>
            (await cluster.Client.BatchV1.ReadNamespacedJobAsync("flaky", "default")).Status.Failed == 1 ? "counted" : null, "the stopped pod to be counted");
    }

    [Fact]
    public async Task JobPastItsActiveDeadline_FailsWithDeadlineExceededAndItsProcessIsKilled()
    {
        await using var cluster = await KubeletCluster.StartAsync();
        await cluster.CreateJobAsync("slow", ["/bin/sh", "-c", "sleep 300"], configure: job => job.Spec.ActiveDeadlineSeconds = 2);

        var failed = await cluster.JobWithConditionAsync("slow", "Failed");

        Assert.Equal("DeadlineExceeded", failed.Status.Conditions.Single(c => c.Type == "Failed").Reason);
        Assert.Equal("Job was active longer than specified deadline", failed.Status.Conditions.Single(c => c.Type == "Failed").Message);
        await KubeletCluster.EventuallyAsync(async () => cluster.Component.Kubelet!.RunningProcesses.Count == 0 ? "stopped" : null, "the process to be killed");
    }

    [Fact]
    public async Task CommandNotOnThePath_FailsThePodWithStartError()
    {
        await using var cluster = await KubeletCluster.StartAsync();
        await cluster.CreateJobAsync("typo", ["no-such-command-anywhere"], backoffLimit: 0);

        await cluster.JobWithConditionAsync("typo", "Failed");

        var terminated = Assert.Single(await cluster.PodsOfAsync("typo")).Status.ContainerStatuses.Single().State.Terminated;
        Assert.Equal(128, terminated.ExitCode);
        Assert.Equal("StartError", terminated.Reason);
        Assert.Contains("no-such-command-anywhere", terminated.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StandalonePod_RunsToSucceededWithoutAJob()
    {
        await using var cluster = await KubeletCluster.StartAsync();
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "solo" },
            Spec = new V1PodSpec
            {
                RestartPolicy = "Never",
                Containers = [new V1Container { Name = "c", Image = "busybox", Command = ["/bin/sh", "-c", "exit 0"] }],
            },
        }, "default");

        var pod = await KubeletCluster.EventuallyAsync(async () =>
        {
            var p = await cluster.Client.CoreV1.ReadNamespacedPodAsync("solo", "default");
            return p.Status?.Phase == "Succeeded" ? p : null;
        }, "the pod to succeed");

        Assert.Equal("Completed", pod.Status.ContainerStatuses.Single().State.Terminated.Reason);
        Assert.Equal("127.0.0.1", pod.Status.PodIP);
    }

    [Fact]
    public async Task DeletingARunningJobPod_KillsItsProcessCountsAFailureAndReplacesThePod()
    {
        await using var cluster = await KubeletCluster.StartAsync();
        await cluster.CreateJobAsync("victim", ["/bin/sh", "-c", "sleep 300"]);
        var first = await cluster.RunningPodAsync("victim");
        var pid = int.Parse(first.Metadata.Annotations[CallImport.LocalControlPlane.Kubelet.PodAnnotations.ProcessId], System.Globalization.CultureInfo.InvariantCulture);

        await cluster.Client.CoreV1.DeleteNamespacedPodAsync(first.Metadata.Name, "default");

        var replacement = await cluster.RunningPodAsync("victim", p => p.Metadata.Uid != first.Metadata.Uid);
        await KubeletCluster.EventuallyAsync(async () =>
            (await cluster.PodsOfAsync("victim")).All(p => p.Metadata.Uid != first.Metadata.Uid) ? "gone" : null, "the deleted pod to go");
        var job = await KubeletCluster.EventuallyAsync(async () =>
        {
            var j = await cluster.Client.BatchV1.ReadNamespacedJobAsync("victim", "default");
            return j.Status?.Failed == 1 ? j : null;
        }, "the deleted pod to count as a failure");
        Assert.Equal(1, job.Status.Active);
        Assert.DoesNotContain(pid, cluster.Component.Kubelet!.RunningProcesses.Values);
        Assert.NotEqual(pid, int.Parse(replacement.Metadata.Annotations[CallImport.LocalControlPlane.Kubelet.PodAnnotations.ProcessId], System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task ConfigMapVolumeItems_AreWrittenUnderTheirPathsAndMappedForTheProcess()
    {
        await using var cluster = await KubeletCluster.StartAsync();
        await cluster.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap
        {
            Metadata = new V1ObjectMeta { Name = "app" },
            Data = new Dictionary<string, string> { ["settings"] = "window: 01:00", ["ignored"] = "x" },
        }, "default");
        await cluster.CreateJobAsync("conf", ["/bin/sh", "-c", "cat \"${CALLIMPORT_PATH_MAP#/etc/app=}/conf/app.yaml\"; ls \"${CALLIMPORT_PATH_MAP#/etc/app=}\""], configure: job =>
        {
            var spec = job.Spec.Template.Spec;
            spec.Volumes = [new V1Volume { Name = "app", ConfigMap = new V1ConfigMapVolumeSource { Name = "app", Items = [new V1KeyToPath { Key = "settings", Path = "conf/app.yaml" }] } }];
            spec.Containers[0].VolumeMounts = [new V1VolumeMount { Name = "app", MountPath = "/etc/app" }];
        });

        await cluster.JobWithConditionAsync("conf", "Complete");

        var pod = Assert.Single(await cluster.PodsOfAsync("conf"));
        var log = await File.ReadAllTextAsync((await cluster.Client.CoreV1.ReadNamespacedPodAsync(pod.Metadata.Name, "default")).Metadata.Annotations[CallImport.LocalControlPlane.Kubelet.PodAnnotations.LogPath]);
        Assert.Equal("window: 01:00conf\n", log);
    }

    [Fact]
    public async Task SuspendedJob_RunsNoPodsUntilResumedAndSuspendingAgainStopsThem()
    {
        await using var cluster = await KubeletCluster.StartAsync();
        await cluster.CreateJobAsync("paused", ["/bin/sh", "-c", "sleep 300"], configure: job => job.Spec.Suspend = true);
        await KubeletCluster.EventuallyAsync(async () =>
            (await cluster.Client.BatchV1.ReadNamespacedJobAsync("paused", "default")).Status?.Conditions?.Any(c => c.Type == "Suspended" && c.Status == "True") == true ? "suspended" : null,
            "the Suspended condition");
        Assert.Empty(await cluster.PodsOfAsync("paused"));

        await SetSuspendAsync(cluster, false);
        var pod = await cluster.RunningPodAsync("paused");
        var resumed = await cluster.Client.BatchV1.ReadNamespacedJobAsync("paused", "default");
        Assert.Equal("JobResumed", resumed.Status.Conditions.Single(c => c.Type == "Suspended").Reason);
        Assert.NotNull(resumed.Status.StartTime);

        await SetSuspendAsync(cluster, true);
        await KubeletCluster.EventuallyAsync(async () => (await cluster.PodsOfAsync("paused")).Count == 0 ? "stopped" : null, "the pod to be stopped");
        var suspended = await cluster.Client.BatchV1.ReadNamespacedJobAsync("paused", "default");
        Assert.Equal("JobSuspended", suspended.Status.Conditions.Single(c => c.Type == "Suspended").Reason);
        Assert.DoesNotContain($"default/{pod.Metadata.Name}", cluster.Component.Kubelet!.RunningProcesses.Keys);
    }

    [Fact]
    public async Task FinishedJobWithTtl_IsDeletedWithItsPods()
    {
        await using var cluster = await KubeletCluster.StartAsync();
        await cluster.CreateJobAsync("shortlived", ["/bin/sh", "-c", "exit 0"], configure: job => job.Spec.TtlSecondsAfterFinished = 1);

        await KubeletCluster.EventuallyAsync(async () =>
            (await cluster.Client.BatchV1.ListNamespacedJobAsync("default")).Items.Count == 0 && (await cluster.PodsOfAsync("shortlived")).Count == 0 ? "gone" : null,
            "the finished job and its pod to be deleted");
        var events = (await cluster.Client.CoreV1.ListNamespacedEventAsync("default", fieldSelector: "involvedObject.name=shortlived")).Items;
        Assert.Contains(events, e => e.Reason == "Completed");
    }

    private static Task<V1Job> SetSuspendAsync(KubeletCluster cluster, bool suspend) =>
        cluster.Client.BatchV1.PatchNamespacedJobAsync(
            new V1Patch(suspend ? """{"spec":{"suspend":true}}""" : """{"spec":{"suspend":false}}""", V1Patch.PatchType.MergePatch), "paused", "default");
}
