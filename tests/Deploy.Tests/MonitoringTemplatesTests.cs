using System.Text.Json.Nodes;

namespace CallImport.Deploy.Tests;

/// <summary>The PrometheusRule and the Grafana dashboard ConfigMap: off by default, and when on, exactly the files promtool and the dashboard tests check.</summary>
public sealed class MonitoringTemplatesTests
{
    private const string Enabled = """
        metrics:
          prometheusRule:
            enabled: true
            labels: { release: kube-prometheus-stack }
          grafanaDashboard:
            enabled: true
            namespace: monitoring
            annotations: { grafana_folder: CallImport }
        """;

    [Fact]
    public void Defaults_RenderNeither()
    {
        var chart = Chart.Render();

        Assert.Empty(chart.OfKind("PrometheusRule"));
        Assert.DoesNotContain(chart.OfKind("ConfigMap"), c => c.Name.EndsWith("-dashboard", StringComparison.Ordinal));
    }

    [Fact]
    public void PrometheusRule_CarriesTheCheckedRulesFile_AndTheLabelsTheRuleSelectorWants()
    {
        var rule = Chart.Render(Enabled).One("PrometheusRule");

        Assert.Equal("monitoring.coreos.com/v1", (string?)rule.Body["apiVersion"]);
        Assert.Equal("callimport-system", rule.Namespace);
        Assert.Equal("kube-prometheus-stack", (string?)rule.Body["metadata"]!["labels"]!["release"]);
        Assert.Equal("callimport", (string?)rule.Body["metadata"]!["labels"]!["app.kubernetes.io/part-of"]);
        var file = Chart.YamlToJson(Chart.Read("files", "prometheus-rules.yaml"))!;
        Assert.True(JsonNode.DeepEquals(file["groups"], rule.Body["spec"]!["groups"]), rule.Body["spec"]!.ToJsonString());
        Assert.Equal(4, rule.Body["spec"]!["groups"]![0]!["rules"]!.AsArray().Count);
    }

    [Fact]
    public void DashboardConfigMap_HoldsTheDashboardJson_ForTheSidecar()
    {
        var map = Chart.Render(Enabled).One("ConfigMap", "-dashboard");

        Assert.Equal("monitoring", map.Namespace);
        Assert.Equal("1", (string?)map.Body["metadata"]!["labels"]!["grafana_dashboard"]);
        Assert.Equal("CallImport", (string?)map.Body["metadata"]!["annotations"]!["grafana_folder"]);
        var embedded = JsonNode.Parse((string)map.Body["data"]!["callimport.json"]!);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(Chart.Read("files", "grafana-dashboard.json")), embedded));
    }
}
