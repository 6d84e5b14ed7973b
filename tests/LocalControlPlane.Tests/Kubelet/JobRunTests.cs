using System.Diagnostics;
using System.Text;
using CallImport.LocalControlPlane.Kubelet;
using k8s;
using k8s.Models;

namespace CallImport.LocalControlPlane.Tests.Kubelet;

public sealed class JobRunTests
{
    [Fact]
    public async Task Job_WhoseProcessExitsZero_CompletesWithAPodLikeTheJobControllersOne()
    {
        await using var cluster = await KubeletCluster.StartAsync();
        var job = await cluster.CreateJobAsync("ok", ["/bin/sh", "-c", "echo hello from the pod"]);

        var done = await cluster.JobWithConditionAsync("ok", "Complete");

        Assert.Equal(1, done.Status.Succeeded);
        Assert.Equal(0, done.Status.Failed ?? 0);
        Assert.Equal(0, done.Status.Active ?? 0);
        Assert.NotNull(done.Status.StartTime);
        Assert.NotNull(done.Status.CompletionTime);
        Assert.Equal(["SuccessCriteriaMet", "Complete"], done.Status.Conditions.Select(c => c.Type));
        Assert.All(done.Status.Conditions, c => Assert.Equal("CompletionsReached", c.Reason));

        var pod = Assert.Single(await cluster.PodsOfAsync("ok"));
        Assert.StartsWith("ok-", pod.Metadata.Name, StringComparison.Ordinal);
        Assert.Equal(job.Metadata.Uid, pod.Metadata.Labels["batch.kubernetes.io/controller-uid"]);
        Assert.Equal(job.Metadata.Uid, pod.Metadata.Labels["controller-uid"]);
        Assert.Equal("ok", pod.Metadata.Labels["job-name"]);
        var owner = Assert.Single(pod.Metadata.OwnerReferences);
        Assert.True(owner.Controller == true && owner.BlockOwnerDeletion == true && owner.Uid == job.Metadata.Uid && owner.Kind == "Job");
        Assert.Equal("Succeeded", pod.Status.Phase);
        var terminated = Assert.Single(pod.Status.ContainerStatuses).State.Terminated;
        Assert.Equal(0, terminated.ExitCode);
        Assert.Equal("Completed", terminated.Reason);
        await KubeletCluster.EventuallyAsync(async () =>
            (await cluster.PodsOfAsync("ok")).Single().Metadata.Finalizers is not { Count: > 0 } ? "released" : null, "the tracking finalizer to go");
        var log = await ReadLogAsync(cluster, pod);
        Assert.Contains("hello from the pod", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Job_WhoseProcessExitsThree_FailsWithBackoffLimitExceededAfterOnePodPerFailure()
    {
        await using var cluster = await KubeletCluster.StartAsync();
        await cluster.CreateJobAsync("bad", ["/bin/sh", "-c", "exit 3"], backoffLimit: 1);

        var failed = await cluster.JobWithConditionAsync("bad", "Failed");

        Assert.Equal(2, failed.Status.Failed);
        Assert.Null(failed.Status.CompletionTime);
        Assert.Equal(["FailureTarget", "Failed"], failed.Status.Conditions.Select(c => c.Type));
        Assert.All(failed.Status.Conditions, c => Assert.Equal("BackoffLimitExceeded", c.Reason));
        var pods = await cluster.PodsOfAsync("bad");
        Assert.Equal(2, pods.Count);
        Assert.All(pods, p =>
        {
            Assert.Equal("Failed", p.Status.Phase);
            Assert.Equal(3, p.Status.ContainerStatuses.Single().State.Terminated.ExitCode);
            Assert.Equal("Error", p.Status.ContainerStatuses.Single().State.Terminated.Reason);
        });
        var jobEvents = await KubeletCluster.EventuallyAsync(async () =>
        {
            var list = (await cluster.Client.CoreV1.ListNamespacedEventAsync("default", fieldSelector: "involvedObject.kind=Job,involvedObject.name=bad")).Items;
            return list.Any(e => e.Reason == "BackoffLimitExceeded") ? list : null;
        }, "the job's events");
        Assert.Equal(2, jobEvents.Count(e => e.Reason == "SuccessfulCreate" && e.Source.Component == "job-controller"));
        Assert.Equal("Warning", jobEvents.Single(e => e.Reason == "BackoffLimitExceeded").Type);
        var podEvents = (await cluster.Client.CoreV1.ListNamespacedEventAsync("default", fieldSelector: $"involvedObject.name={pods[0].Metadata.Name}")).Items;
        Assert.Contains(podEvents, e => e.Reason == "Started" && e.Message == "Started container main" && e.Source.Component == "kubelet");
    }

    [Fact]
    public async Task Pod_SeesSecretConfigMapAndFieldEnvAndItsSecretVolumeThroughThePathMap()
    {
        await using var cluster = await KubeletCluster.StartAsync();
        await cluster.Client.CoreV1.CreateNamespacedSecretAsync(new V1Secret
        {
            Metadata = new V1ObjectMeta { Name = "creds" },
            Data = new Dictionary<string, byte[]> { ["apiKey"] = Encoding.UTF8.GetBytes("s3cr3t"), ["region"] = Encoding.UTF8.GetBytes("eu") },
        }, "default");
        await cluster.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap
        {
            Metadata = new V1ObjectMeta { Name = "settings" },
            Data = new Dictionary<string, string> { ["mode"] = "delta" },
        }, "default");
        const string Script = """
            echo "key=$API_KEY mode=$MODE pod=$POD_NAME ns=$POD_NS ip=$POD_IP region=$CFG_region greeting=$GREETING"
            dir="${CALLIMPORT_PATH_MAP#/etc/creds=}"
            echo "file=$(cat "$dir/apiKey")"
            """;
        await cluster.CreateJobAsync("env", ["/bin/sh", "-c", Script], configure: job =>
        {
            var spec = job.Spec.Template.Spec;
            spec.Volumes = [new V1Volume { Name = "creds", Secret = new V1SecretVolumeSource { SecretName = "creds", DefaultMode = 256 } }];
            var container = spec.Containers[0];
            container.VolumeMounts = [new V1VolumeMount { Name = "creds", MountPath = "/etc/creds", ReadOnlyProperty = true }];
            container.EnvFrom = [new V1EnvFromSource { SecretRef = new V1SecretEnvSource { Name = "creds" }, Prefix = "CFG_" }];
            container.Env =
            [
                new V1EnvVar { Name = "API_KEY", ValueFrom = new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Name = "creds", Key = "apiKey" } } },
                new V1EnvVar { Name = "MODE", ValueFrom = new V1EnvVarSource { ConfigMapKeyRef = new V1ConfigMapKeySelector { Name = "settings", Key = "mode" } } },
                new V1EnvVar { Name = "POD_NAME", ValueFrom = new V1EnvVarSource { FieldRef = new V1ObjectFieldSelector { FieldPath = "metadata.name" } } },
                new V1EnvVar { Name = "POD_NS", ValueFrom = new V1EnvVarSource { FieldRef = new V1ObjectFieldSelector { FieldPath = "metadata.namespace" } } },
                new V1EnvVar { Name = "POD_IP", ValueFrom = new V1EnvVarSource { FieldRef = new V1ObjectFieldSelector { FieldPath = "status.podIP" } } },
                new V1EnvVar { Name = "GREETING", Value = "hi-$(MODE)" },
            ];
        });

        await cluster.JobWithConditionAsync("env", "Complete");

        var pod = Assert.Single(await cluster.PodsOfAsync("env"));
        var log = await ReadLogAsync(cluster, pod);
        Assert.Contains($"key=s3cr3t mode=delta pod={pod.Metadata.Name} ns=default ip=127.0.0.1 region=eu greeting=hi-delta", log, StringComparison.Ordinal);
        Assert.Contains("file=s3cr3t", log, StringComparison.Ordinal);
        // The pod has ended: its Secret files are gone from the node, as the kubelet unmounts their tmpfs.
        await KubeletCluster.EventuallyAsync(() => Task.FromResult(SecretFilesUnder(cluster.WorkRoot).Count == 0 ? "gone" : null), "the Secret files to go");
    }

    [Fact]
    public async Task DeletingARunningPodsJob_RemovesItsSecretFilesFromTheNode()
    {
        await using var cluster = await KubeletCluster.StartAsync();
        await cluster.Client.CoreV1.CreateNamespacedSecretAsync(new V1Secret
        {
            Metadata = new V1ObjectMeta { Name = "creds" },
            Data = new Dictionary<string, byte[]> { ["apiKey"] = Encoding.UTF8.GetBytes("s3cr3t") },
        }, "default");
        await cluster.CreateJobAsync("long", ["/bin/sh", "-c", "sleep 300"], configure: job =>
        {
            job.Spec.Template.Spec.Volumes = [new V1Volume { Name = "creds", Secret = new V1SecretVolumeSource { SecretName = "creds" } }];
            job.Spec.Template.Spec.Containers[0].VolumeMounts = [new V1VolumeMount { Name = "creds", MountPath = "/etc/creds", ReadOnlyProperty = true }];
        });
        await cluster.RunningPodAsync("long");
        Assert.NotEmpty(SecretFilesUnder(cluster.WorkRoot));

        await cluster.Client.BatchV1.DeleteNamespacedJobAsync("long", "default", propagationPolicy: "Background");

        await KubeletCluster.EventuallyAsync(() => Task.FromResult(SecretFilesUnder(cluster.WorkRoot).Count == 0 ? "gone" : null), "the Secret files to go");
    }

    private static List<string> SecretFilesUnder(string root) =>
        Directory.Exists(root) ? [.. Directory.EnumerateFiles(root, "apiKey", SearchOption.AllDirectories)] : [];

    [Fact]
    public async Task KillingThePodsProcess_LooksLikeACrashedContainerAndTheJobReplacesThePod()
    {
        await using var cluster = await KubeletCluster.StartAsync();
        await cluster.CreateJobAsync("crash", ["/bin/sh", "-c", "sleep 300"], backoffLimit: 3);
        var first = await cluster.RunningPodAsync("crash");
        var pid = int.Parse(first.Metadata.Annotations[PodAnnotations.ProcessId], System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(pid, cluster.Component.Kubelet!.RunningProcesses[$"default/{first.Metadata.Name}"]);

        using (var process = Process.GetProcessById(pid))
        {
            process.Kill();
        }

        var crashed = await KubeletCluster.EventuallyAsync(async () =>
        {
            var pod = await cluster.Client.CoreV1.ReadNamespacedPodAsync(first.Metadata.Name, "default");
            return pod.Status.Phase == "Failed" ? pod : null;
        }, "the killed pod to fail");
        Assert.Equal(137, crashed.Status.ContainerStatuses.Single().State.Terminated.ExitCode);
        // A SIGKILL is an Error, as the runtime reports it; OOMKilled is only for the cgroup's OOM killer.
        Assert.Equal("Error", crashed.Status.ContainerStatuses.Single().State.Terminated.Reason);
        var replacement = await cluster.RunningPodAsync("crash", p => p.Metadata.Name != first.Metadata.Name);
        Assert.NotEqual(first.Metadata.Uid, replacement.Metadata.Uid);
        var job = await KubeletCluster.EventuallyAsync(async () =>
        {
            var j = await cluster.Client.BatchV1.ReadNamespacedJobAsync("crash", "default");
            return j.Status?.Failed == 1 && j.Status.Active == 1 ? j : null;
        }, "the job to count one failure and one active pod");
        Assert.Null(job.Status.Conditions);
    }

    [Fact]
    public async Task DeletingTheJobWithBackgroundPropagation_KillsItsProcessAndRemovesItsPods()
    {
        await using var cluster = await KubeletCluster.StartAsync();
        await cluster.CreateJobAsync("long", ["/bin/sh", "-c", "sleep 300"]);
        var pod = await cluster.RunningPodAsync("long");
        var pid = int.Parse(pod.Metadata.Annotations[PodAnnotations.ProcessId], System.Globalization.CultureInfo.InvariantCulture);

        await cluster.Client.BatchV1.DeleteNamespacedJobAsync("long", "default", propagationPolicy: "Background");

        await KubeletCluster.EventuallyAsync(async () => (await cluster.PodsOfAsync("long")).Count == 0 ? "gone" : null, "the job's pods to be deleted");
        Assert.False(IsAlive(pid));
        Assert.Empty(cluster.Component.Kubelet!.RunningProcesses);
    }

    [Fact]
    public async Task PodWithAMissingSecret_WaitsWithCreateContainerConfigErrorAndRunsOnceItExists()
    {
        await using var cluster = await KubeletCluster.StartAsync();
        await cluster.CreateJobAsync("later", ["/bin/sh", "-c", "echo $TOKEN"], configure: job =>
            job.Spec.Template.Spec.Containers[0].Env =
            [
                new V1EnvVar { Name = "TOKEN", ValueFrom = new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Name = "late", Key = "token" } } },
            ]);

        var waiting = await KubeletCluster.EventuallyAsync(async () => (await cluster.PodsOfAsync("later")).FirstOrDefault(p =>
            p.Status?.ContainerStatuses?.SingleOrDefault()?.State?.Waiting?.Reason == "CreateContainerConfigError"), "the pod to wait for its secret");
        Assert.Equal("Pending", waiting.Status.Phase);
        Assert.Equal("secret \"late\" not found", waiting.Status.ContainerStatuses.Single().State.Waiting.Message);

        await cluster.Client.CoreV1.CreateNamespacedSecretAsync(new V1Secret
        {
            Metadata = new V1ObjectMeta { Name = "late" },
            StringData = new Dictionary<string, string> { ["token"] = "arrived" },
        }, "default");

        await cluster.JobWithConditionAsync("later", "Complete");
        Assert.Contains("arrived", await ReadLogAsync(cluster, (await cluster.PodsOfAsync("later")).Single()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task MappedImage_RunsTheLocalCommandPrefixWithTheContainersArgs()
    {
        await using var cluster = await KubeletCluster.StartAsync(o => o.ImageCommands["example/tool"] = ["/bin/sh", "-c"]);
        await cluster.CreateJobAsync("mapped", ["/app/tool-that-only-exists-in-the-image"], configure: job =>
        {
            var container = job.Spec.Template.Spec.Containers[0];
            container.Image = "example/tool:1.2";
            container.Args = ["echo mapped $0", "arg0"];
        });

        await cluster.JobWithConditionAsync("mapped", "Complete");

        Assert.Contains("mapped arg0", await ReadLogAsync(cluster, (await cluster.PodsOfAsync("mapped")).Single()), StringComparison.Ordinal);
    }

    private static async Task<string> ReadLogAsync(KubeletCluster cluster, V1Pod pod)
    {
        var current = await cluster.Client.CoreV1.ReadNamespacedPodAsync(pod.Metadata.Name, "default");
        var path = current.Metadata.Annotations[PodAnnotations.LogPath];
        var fromFile = await File.ReadAllTextAsync(path);
        using var stream = await cluster.Client.CoreV1.ReadNamespacedPodLogAsync(pod.Metadata.Name, "default");
        using var reader = new StreamReader(stream);
        Assert.Equal(fromFile, await reader.ReadToEndAsync());
        return fromFile;
    }

    private static bool IsAlive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
