using System.Globalization;
using k8s;
using k8s.Models;

namespace CallImport.LocalControlPlane.Tests;

public sealed class ConcurrencyTests : PlaneTest
{
    [Fact]
    public async Task ParallelWriters_AreAllSeenByAWatchInResourceVersionOrder()
    {
        var start = (await Client.ListNamespacedConfigMapAsync("default")).Metadata.ResourceVersion;
        var watch = Client.CoreV1.WatchListNamespacedConfigMapAsync("default", resourceVersion: start, timeoutSeconds: 60).GetAsyncEnumerator();
        var first = watch.MoveNextAsync();

        await Task.WhenAll(Enumerable.Range(0, 4).Select(writer => Task.Run(async () =>
        {
            for (var i = 0; i < 20; i++)
            {
                await Client.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new() { Name = $"w{writer}-{i}" } }, "default");
            }
        })));

        var versions = new List<long>();
        var names = new HashSet<string>();
        Assert.True(await first);
        do
        {
            versions.Add(long.Parse(watch.Current.Item2.Metadata.ResourceVersion, CultureInfo.InvariantCulture));
            names.Add(watch.Current.Item2.Metadata.Name);
        }
        while (names.Count < 80 && await watch.MoveNextAsync());
        await watch.DisposeAsync();

        Assert.Equal(80, names.Count);
        Assert.Equal(versions.Order(), versions);
        Assert.Equal(80, versions.Distinct().Count());
    }
}
