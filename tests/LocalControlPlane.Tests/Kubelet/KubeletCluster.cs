using CallImport.LocalControlPlane.Kubelet;
using k8s;
using k8s.Models;

namespace CallImport.LocalControlPlane.Tests.Kubelet;

/// <summary>A local control plane with a kubelet, driven through KubernetesClient over HTTP; one per test.</summary>
internal sealed class KubeletCluster : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    private readonly LocalControlPlane _plane;

    private KubeletCluster(LocalControlPlane plane, KubeletComponent kubelet, string workRoot)
    {
        _plane = plane;
        Component = kubelet;
        WorkRoot = workRoot;
        Client = new Kubernetes(new KubernetesClientConfiguration { Host = plane.Url.ToString() });
    }

    public IKubernetes Client { get; }

    public KubeletComponent Component { get; }

    public string WorkRoot { get; }

    public static async Task<KubeletCluster> StartAsync(Action<KubeletOptions>? configure = null)
    {
        var workRoot = Path.Combine(Path.GetTempPath(), "kubelet-tests", Guid.NewGuid().ToString("N"));
        var options = new KubeletOptions { WorkRoot = workRoot, ResyncPeriod = TimeSpan.FromSeconds(1) };
        configure?.Invoke(options);
        var kubelet = new KubeletComponent(options);
        var plane = await LocalControlPlane.StartAsync(new LocalControlPlaneOptions { Port = 0, Components = [kubelet] });
        return new KubeletCluster(plane, kubelet, workRoot);
    }

    public Task<V1Job> CreateJobAsync(string name, IList<string> command, int backoffLimit = 6, Action<V1Job>? configure = null)
    {
        var job = new V1Job
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default" },
            Spec = new V1JobSpec
            {
                BackoffLimit = backoffLimit,
                Template = new V1PodTemplateSpec
                {
                    Spec = new V1PodSpec
                    {
                        RestartPolicy = "Never",
                        Containers = [new V1Container { Name = "main", Image = "busybox:1.36", Command = command }],
                    },
                },
            },
        };
        configure?.Invoke(job);
        return Client.BatchV1.CreateNamespacedJobAsync(job, "default");
    }

    public async Task<V1Job> JobWithConditionAsync(string name, string conditionType) =>
        await EventuallyAsync(async () =>
        {
            var job = await Client.BatchV1.ReadNamespacedJobAsync(name, "default");
            return job.Status?.Conditions?.Any(c => c.Type == conditionType && c.Status == "True") == true ? job : null;
        }, $"job {name} to get condition {conditionType}");

    public async Task<IList<V1Pod>> PodsOfAsync(string jobName) =>
        (await Client.CoreV1.ListNamespacedPodAsync("default", labelSelector: $"batch.kubernetes.io/job-name={jobName}")).Items;

    public async Task<V1Pod> RunningPodAsync(string jobName, Func<V1Pod, bool>? which = null) =>
        await EventuallyAsync(async () => (await PodsOfAsync(jobName)).FirstOrDefault(p =>
            p.Status?.Phase == "Running" && p.Metadata.Annotations?.ContainsKey(PodAnnotations.ProcessId) == true && (which?.Invoke(p) ?? true)),
            $"a running pod of job {jobName}");

    public static async Task<T> EventuallyAsync<T>(Func<Task<T?>> probe, string what)
        where T : class
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            if (await probe() is { } value)
            {
                return value;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"gave up waiting for {what}");
            }

            await Task.Delay(100);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _plane.DisposeAsync();
        (Client as IDisposable)?.Dispose();
        try
        {
            Directory.Delete(WorkRoot, recursive: true);
        }
        catch (IOException)
        {
            // A process may still be writing its log; the temp dir is cleaned eventually.
        }
    }
}
