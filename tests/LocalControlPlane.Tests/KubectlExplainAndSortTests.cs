using k8s;
using k8s.Models;

namespace CallImport.LocalControlPlane.Tests;

/// <summary><c>kubectl explain</c> on a custom kind and <c>kubectl get --sort-by</c> work as on a real cluster.</summary>
public sealed class KubectlExplainAndSortTests : PlaneTest
{
    private async Task ApplyImportJobDefinitionAsync()
    {
        var path = RepositoryFile("config/crd/importjobs.callimport.io.yaml");
        (await Kubectl.RunAsync("apply", "-f", path)).EnsureSuccess();
    }

    [SkippableFact]
    public async Task ExplainImportJobSpec_ShowsTheFieldsAndTheirDescriptions()
    {
        Kubectl.SkipWhenAbsent();
        await ApplyImportJobDefinitionAsync();

        var spec = (await Kubectl.RunAsync("explain", "importjob.spec")).EnsureSuccess().Stdout;
        var range = (await Kubectl.RunAsync("explain", "importjob.spec.dateRange.start")).EnsureSuccess().Stdout;

        Assert.Contains("KIND:       ImportJob", spec, StringComparison.Ordinal);
        Assert.Contains("customerId\t<string> -required-", spec, StringComparison.Ordinal);
        Assert.Contains("credentialsSecretRef\t<Object> -required-", spec, StringComparison.Ordinal);
        Assert.Contains("Whose engagements these calls become", spec, StringComparison.Ordinal);
        Assert.Contains("The first instant included", range, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task GetSortBy_OrdersByTheGivenField()
    {
        Kubectl.SkipWhenAbsent();
        await CreateWidgetDefinitionAsync();
        foreach (var (name, color, size) in new[] { ("b", "red", 3), ("c", "blue", 1), ("a", "green", 2) })
            (await Kubectl.ApplyAsync($$"""
                apiVersion: example.com/v1
                kind: Widget
                metadata:
                  name: {{name}}
                spec:
                  color: {{color}}
                  size: {{size}}
                """)).EnsureSuccess();

        var bySize = (await Kubectl.RunAsync("get", "widgets", "--sort-by=.spec.size", "-o", "name")).EnsureSuccess().Stdout;
        var byColor = (await Kubectl.RunAsync("get", "widgets", "--sort-by=.spec.color", "--no-headers")).EnsureSuccess().Stdout;
        foreach (var (name, value) in new[] { ("zeta", "1"), ("alpha", "22"), ("mid", "333") })
            await Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = name }, Data = new Dictionary<string, string> { ["v"] = value } }, "default");
        var maps = (await Kubectl.RunAsync("get", "configmaps", "--sort-by=.data.v", "--no-headers")).EnsureSuccess().Stdout;

        Assert.Equal(["widget.example.com/c", "widget.example.com/a", "widget.example.com/b"], bySize.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(["c", "a", "b"], byColor.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ')[0]));
        Assert.Equal(["zeta", "alpha", "mid"], maps.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ')[0]));
    }

    private static string RepositoryFile(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "CallImport.sln")))
                return Path.Combine(dir.FullName, relative);
        throw new FileNotFoundException(relative);
    }
}
