using k8s;
using k8s.Models;

namespace CallImport.Deploy.Tests;

/// <summary>A local control plane for one test class: the real API protocol, driven by the real KubernetesClient.</summary>
public sealed class ControlPlane : IAsyncDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("deploy-plane-").FullName;

    private ControlPlane(LocalControlPlane.LocalControlPlane plane)
    {
        Plane = plane;
        Client = new Kubernetes(new KubernetesClientConfiguration { Host = plane.Url.ToString() });
        plane.WriteKubeconfig(KubeconfigPath);
    }

    public LocalControlPlane.LocalControlPlane Plane { get; }

    public Kubernetes Client { get; }

    public string KubeconfigPath => Path.Combine(_directory, "kubeconfig");

    public static async Task<ControlPlane> StartAsync(LocalControlPlane.LocalControlPlaneOptions? options = null) =>
        new(await LocalControlPlane.LocalControlPlane.StartAsync(options ?? new LocalControlPlane.LocalControlPlaneOptions { Port = 0 }));

    /// <summary>The reviewed CRD, as the chart installs it.</summary>
    public async Task InstallCrdAsync()
    {
        var crd = KubernetesYaml.Deserialize<V1CustomResourceDefinition>(Chart.ReadRepositoryFile("config/crd/importjobs.callimport.io.yaml"));
        await Client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(crd);
    }

    public async Task CreateNamespacesAsync(params string[] names)
    {
        foreach (var name in names)
            await Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = name } });
    }

    public Task CreateImportJobAsync(string ns, string name) =>
        Client.CustomObjects.CreateNamespacedCustomObjectAsync(new Dictionary<string, object>
        {
            ["apiVersion"] = "callimport.io/v1alpha1",
            ["kind"] = "ImportJob",
            ["metadata"] = new Dictionary<string, object> { ["name"] = name, ["namespace"] = ns },
            ["spec"] = new Dictionary<string, object>
            {
                ["customerId"] = "acme",
                ["platform"] = "grain",
                ["credentialsSecretRef"] = new Dictionary<string, object> { ["name"] = "acme-grain" },
            },
        }, "callimport.io", "v1alpha1", ns, "importjobs");

    public static async Task EventuallyAsync(Func<bool> condition, string what)
    {
        // A bound on waiting, not a timing assertion: the machine may be slow, the condition must come.
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
                Assert.Fail($"gave up waiting for {what}");
            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Plane.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}
