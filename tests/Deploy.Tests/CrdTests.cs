using System.Text.Json.Nodes;

namespace CallImport.Deploy.Tests;

/// <summary>
/// The chart ships the ImportJob CRD as a template (so helm upgrade upgrades it), generated from the reviewed
/// config/crd/ by scripts/sync-chart-crd.sh: the same object apart from the chart's labels and keep annotation.
/// </summary>
public sealed class CrdTests
{
    private const string Reviewed = "config/crd/importjobs.callimport.io.yaml";

    [Fact]
    public void ChartCrd_IsTheReviewedCrd()
    {
        var rendered = Chart.Render().One("CustomResourceDefinition").Body.DeepClone().AsObject();
        var metadata = rendered["metadata"]!.AsObject();
        Assert.Equal("Helm", (string?)metadata["labels"]!["app.kubernetes.io/managed-by"]);
        metadata.Remove("labels");
        metadata.Remove("annotations");
        var reviewed = Chart.YamlToJson(Chart.ReadRepositoryFile(Reviewed));
        Assert.True(JsonNode.DeepEquals(reviewed, rendered), $"The chart's CRD differs from {Reviewed}: run scripts/sync-chart-crd.sh");
    }

    [Fact]
    public void ChartCrdTemplate_CarriesTheReviewedSpecWordForWord()
    {
        // Comments too: the template is a copy, never an edit of its own.
        var reviewed = Chart.ReadRepositoryFile(Reviewed);
        var template = Chart.Read("templates", "crd-importjobs.yaml");
        var spec = reviewed[reviewed.IndexOf("\nspec:", StringComparison.Ordinal)..].TrimEnd();
        Assert.Contains(spec + "\n{{- end }}", template, StringComparison.Ordinal);
    }

    [Fact]
    public void Chart_HasNoCrdsDirectory()
    {
        // Helm installs crds/ once and never upgrades it; with the template as well, the install would collide.
        Assert.False(Directory.Exists(Path.Combine(Chart.ChartDirectory, "crds")));
    }

    [Fact]
    public void ChartCrd_IsKeptOnUninstallByDefault()
    {
        var annotations = Chart.Render().One("CustomResourceDefinition").Body["metadata"]!["annotations"]!;
        Assert.Equal("keep", (string?)annotations["helm.sh/resource-policy"]);
    }
}
