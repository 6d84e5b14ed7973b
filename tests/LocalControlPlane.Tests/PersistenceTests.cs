using k8s;
using k8s.Models;

namespace CallImport.LocalControlPlane.Tests;

public sealed class PersistenceTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("plane-state-").FullName;

    [Fact]
    public async Task RestartOnTheSamePortWithStateFile_KeepsObjectsDefinitionsAndVersions()
    {
        var options = new LocalControlPlaneOptions { Port = 0, StatePath = Path.Combine(directory, "state.json") };
        string uid;
        string version;
        int port;
        await using (var first = await LocalControlPlane.StartAsync(options))
        {
            port = first.Url.Port;
            using var client = new Kubernetes(new KubernetesClientConfiguration { Host = first.Url.ToString() });
            await client.CreateCustomResourceDefinitionAsync(KubernetesYaml.Deserialize<V1CustomResourceDefinition>(TestManifests.WidgetDefinition));
            var created = await client.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new() { Name = "kept" } }, "default");
            (uid, version) = (created.Metadata.Uid, created.Metadata.ResourceVersion);
        }

        // Same port, so clients configured for the first run (an operator under test) reconnect unchanged.
        await using var second = await LocalControlPlane.StartAsync(new LocalControlPlaneOptions { Port = port, StatePath = options.StatePath });
        using var again = new Kubernetes(new KubernetesClientConfiguration { Host = second.Url.ToString() });
        var kept = await again.ReadNamespacedConfigMapAsync("kept", "default");
        var next = await again.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new() { Name = "new" } }, "default");
        var widgets = await again.ListNamespacedCustomObjectAsync(TestManifests.Group, "v1", "default", TestManifests.Plural);

        Assert.Equal(port, second.Url.Port);
        Assert.Equal(uid, kept.Metadata.Uid);
        Assert.True(long.Parse(next.Metadata.ResourceVersion, System.Globalization.CultureInfo.InvariantCulture) > long.Parse(version, System.Globalization.CultureInfo.InvariantCulture));
        Assert.NotNull(widgets);
    }

    public void Dispose() => Directory.Delete(directory, recursive: true);
}
