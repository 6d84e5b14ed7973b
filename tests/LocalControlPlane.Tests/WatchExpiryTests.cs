using k8s;
using k8s.Models;

namespace CallImport.LocalControlPlane.Tests;

public sealed class WatchExpiryTests : PlaneTest
{
    // A short history, so a dozen writes push the early versions out of it.
    protected override LocalControlPlaneOptions Options => new() { Port = 0, WatchHistorySize = 8 };

    [Fact]
    public async Task WatchFromExpiredVersion_GetsError410_AndARelistRecovers()
    {
        for (var i = 0; i < 12; i++)
        {
            await Client.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new() { Name = $"cm-{i}" } }, "default");
        }
        var errors = new List<KubernetesException>();
        var events = new List<WatchEventType>();
        await foreach (var (type, _) in Client.CoreV1.WatchListNamespacedConfigMapAsync("default", resourceVersion: "2", timeoutSeconds: 5, onError: e => errors.Add((KubernetesException)e)))
        {
            events.Add(type);
        }

        var error = Assert.Single(errors);
        Assert.Equal(410, error.Status.Code);
        Assert.Equal("Expired", error.Status.Reason);
        Assert.Empty(events);
        var relist = await Client.ListNamespacedConfigMapAsync("default");
        Assert.Equal(12, relist.Items.Count);
        var enumerator = Client.CoreV1.WatchListNamespacedConfigMapAsync("default", resourceVersion: relist.Metadata.ResourceVersion, timeoutSeconds: 30).GetAsyncEnumerator();
        var next = enumerator.MoveNextAsync();
        await Client.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new() { Name = "after" } }, "default");
        Assert.True(await next);
        Assert.Equal((WatchEventType.Added, "after"), (enumerator.Current.Item1, enumerator.Current.Item2.Metadata.Name));
        await enumerator.DisposeAsync();
    }

}
