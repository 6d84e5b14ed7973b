using k8s;

namespace CallImport.LocalControlPlane.Tests;

/// <summary>Each test gets its own plane on a free port, a C# client for it, and a kubectl for it.</summary>
public abstract class PlaneTest : IAsyncLifetime
{
    private Kubectl? kubectl;

    protected LocalControlPlane Plane { get; private set; } = null!;

    protected Kubernetes Client { get; private set; } = null!;

    internal Kubectl Kubectl => kubectl ??= new Kubectl(Plane);

    protected virtual LocalControlPlaneOptions Options => new() { Port = 0 };

    public virtual async Task InitializeAsync()
    {
        Plane = await LocalControlPlane.StartAsync(Options);
        Client = new Kubernetes(new KubernetesClientConfiguration { Host = Plane.Url.ToString() });
    }

    public virtual async Task DisposeAsync()
    {
        kubectl?.Dispose();
        Client.Dispose();
        await Plane.DisposeAsync();
    }

    /// <summary>Creates the test CRD through the C# client (the kubectl tests apply it with kubectl).</summary>
    protected async Task CreateWidgetDefinitionAsync()
    {
        var definition = KubernetesYaml.Deserialize<k8s.Models.V1CustomResourceDefinition>(TestManifests.WidgetDefinition);
        await Client.CreateCustomResourceDefinitionAsync(definition);
    }

    protected static async Task EventuallyAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (await condition()) return;
            await Task.Delay(50);
        }
        Assert.Fail($"timed out waiting for {what}");
    }
}
