using CallImport.ImportJobs;
using CallImport.Operator;
using CallImport.Operator.ApiServer;
using CallImport.Operator.Controller;
using k8s;
using Microsoft.Extensions.Logging.Abstractions;

namespace CallImport.Deploy.Tests;

/// <summary>
/// With watchNamespaces: [a, b] the operator has Roles in a and b only, so it must list and watch there, namespace by
/// namespace, and still see every change in both (also across watch renewals), and nothing elsewhere.
/// </summary>
public sealed class MultiNamespaceSourceTests
{
    [Fact]
    public async Task Informer_SeesTheWatchedNamespacesOnly_AcrossWatchRenewals()
    {
        await using var plane = await ControlPlane.StartAsync();
        await plane.InstallCrdAsync();
        await plane.CreateNamespacesAsync("team-a", "team-b", "team-c");
        await plane.CreateImportJobAsync("team-a", "first");
        await plane.CreateImportJobAsync("team-c", "elsewhere");

        var settings = new OperatorSettings { WatchNamespace = "team-a, team-b", WatchTimeout = TimeSpan.FromSeconds(1) };
        Assert.Equal(["team-a", "team-b"], settings.WatchedNamespaces);
        var seen = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var informer = new Informer<ImportJob>(WatchedNamespaces.ImportJobs(plane.Client, settings.WatchedNamespaces),
            i => seen.Enqueue($"{i.Metadata.Namespace}/{i.Metadata.Name}"), settings, TimeProvider.System, NullLogger.Instance);
        using var stop = new CancellationTokenSource();
        var running = informer.RunAsync(stop.Token);
        await informer.Synced;
        Assert.Equal(["team-a/first"], informer.Items.Select(Key));

        await plane.CreateImportJobAsync("team-b", "second");
        await ControlPlane.EventuallyAsync(() => informer.Items.Count == 2, "the ImportJob created in team-b");
        // Outlast a few watch timeouts: each renewal resumes every namespace from where it was.
        await Task.Delay(TimeSpan.FromSeconds(2.5));
        await plane.CreateImportJobAsync("team-c", "still-elsewhere");
        await plane.CreateImportJobAsync("team-a", "third");
        await ControlPlane.EventuallyAsync(() => informer.Items.Count == 3, "the ImportJob created in team-a after watch renewals");
        await plane.Client.CustomObjects.DeleteNamespacedCustomObjectAsync("callimport.io", "v1alpha1", "team-b", "importjobs", "second");
        await ControlPlane.EventuallyAsync(() => informer.Items.Count == 2, "the deletion in team-b");

        await stop.CancelAsync();
        await running;
        Assert.Equal(["team-a/first", "team-a/third"], informer.Items.Select(Key).Order(StringComparer.Ordinal));
        Assert.DoesNotContain(seen, key => key.StartsWith("team-c/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunnerJobs_AreListedPerNamespace_WhenSeveralAreWatched()
    {
        await using var plane = await ControlPlane.StartAsync();
        await plane.CreateNamespacesAsync("team-a", "team-b", "team-c");
        var source = WatchedNamespaces.RunnerJobs(plane.Client, ["team-a", "team-b"]);
        Assert.IsType<MultiNamespaceSource<k8s.Models.V1Job>>(source);
        foreach (var ns in new[] { "team-a", "team-b", "team-c" })
        {
            var job = RunnerJobs.Sample(ns: ns);
            job.Metadata.OwnerReferences = null; // no ImportJob here: the garbage collector would take an orphan
            await plane.Client.BatchV1.CreateNamespacedJobAsync(job, ns);
        }
        var list = await source.ListAsync(CancellationToken.None);
        Assert.Equal(["team-a", "team-b"], list.Items.Select(j => j.Metadata.NamespaceProperty).Order(StringComparer.Ordinal));
        Assert.IsType<ImportJobApi>(WatchedNamespaces.ImportJobs(plane.Client, ["team-a"]));
    }

    private static string Key(ImportJob i) => $"{i.Metadata.Namespace}/{i.Metadata.Name}";
}
