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
        await using var cluster = await KubeletCluster.StartAsync(o => o.CrashLoopBackOff = TimeSpan.FromSeconds(1));
        await cluster.CreateJobAsync("flaky", ["/bin/sh", "-c", "exit 1"], backoffLimit: 1, configure: job =>
            job.Spec.Template.Spec.RestartPolicy = "OnFailure");

        // Between the first and second restart the pod waits 2 s in CrashLoopBackOff: time enough to see it.
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
}
