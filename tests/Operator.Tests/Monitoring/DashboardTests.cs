using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CallImport.Operator.Tests.Samples;

namespace CallImport.Operator.Tests.Monitoring;

/// <summary>The Grafana dashboard and the alerts only use metrics the operator exports, each the way its type allows.</summary>
public sealed partial class DashboardTests
{
    private static readonly IReadOnlyDictionary<string, string> Families = ExportedMetrics.InCode();

    public static TheoryData<string> Expressions()
    {
        var data = new TheoryData<string>();
        foreach (var e in ExportedMetrics.DashboardExpressions().Concat(ExportedMetrics.RuleExpressions()))
            data.Add(e);
        return data;
    }

    [Fact]
    public void Code_ExportsTheMetricsTheIssueAsksFor()
    {
        Assert.Equal("counter", Families["callimport_importjobs_created_total"]);
        Assert.Equal("counter", Families["callimport_importjobs_finished_total"]);
        Assert.Equal("counter", Families["callimport_calls_processed_total"]);
        Assert.Equal("counter", Families["callimport_calls_failed_total"]);
        Assert.Equal("counter", Families["callimport_platform_throttled_requests_total"]);
        Assert.Equal("histogram", Families["callimport_call_processing_duration_seconds"]);
        Assert.Equal("gauge", Families["callimport_importjobs"]);
        // Counters end in _total and gauges never do, so rate() is never applied to the wrong thing.
        Assert.All(Families, f => Assert.Equal(f.Value == "counter", f.Key.EndsWith("_total", StringComparison.Ordinal)));
    }

    [Theory]
    [MemberData(nameof(Expressions))]
    public void Expression_UsesOnlyExportedMetrics_RatesOnlyOnCountersAndBuckets(string expression)
    {
        var used = ExportedMetrics.Used(expression, Families).ToList();
        Assert.NotEmpty(used);
        foreach (var (series, family) in used)
        {
            Assert.True(Families.ContainsKey(family), $"{series} in `{expression}` is not a metric the operator exports");
            if (Regex.IsMatch(expression, $@"(rate|increase)\({Regex.Escape(series)}[{{\[]"))
                Assert.True(Families[family] == "counter" || series.EndsWith("_bucket", StringComparison.Ordinal), $"rate/increase over gauge {series}");
            if (series.EndsWith("_bucket", StringComparison.Ordinal))
                Assert.Equal("histogram", Families[family]);
        }
    }

    [Fact]
    public void Dashboard_ShowsTheIssuesPanels_AndIsValidGrafanaJson()
    {
        var dashboard = JsonNode.Parse(File.ReadAllText(Path.Combine(YamlDocuments.RepositoryRoot(), "deploy/helm/callimport/files/grafana-dashboard.json")))!;
        var titles = dashboard["panels"]!.AsArray().Select(p => p!["title"]!.GetValue<string>()).ToList();

        Assert.Equal("callimport", dashboard["uid"]!.GetValue<string>());
        foreach (var expected in new[] { "ImportJobs created per day", "ImportJobs ended per day", "Calls processed per hour", "Error rate by platform",
                     "Call processing time p50 / p95 / p99", "429s by platform", "Waiting for a window" })
            Assert.Contains(expected, titles);
        var ids = dashboard["panels"]!.AsArray().Select(p => p!["id"]!.GetValue<int>()).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        var quantiles = dashboard["panels"]!.AsArray().Single(p => p!["title"]!.GetValue<string>().StartsWith("Call processing time", StringComparison.Ordinal))!["targets"]!.AsArray()
            .Select(t => t!["expr"]!.GetValue<string>());
        Assert.Equal(["0.5", "0.95", "0.99"], quantiles.Select(q => QuantileOf().Match(q).Groups[1].Value));
    }

    [Fact]
    public void ChartTemplates_EmbedTheCheckedFiles_BehindTheirValues()
    {
        var chart = Path.Combine(YamlDocuments.RepositoryRoot(), "deploy/helm/callimport");
        var rule = File.ReadAllText(Path.Combine(chart, "templates/prometheusrule.yaml"));
        var dashboard = File.ReadAllText(Path.Combine(chart, "templates/grafana-dashboard.yaml"));
        var values = File.ReadAllText(Path.Combine(chart, "values.yaml"));

        Assert.StartsWith("{{- if .Values.metrics.prometheusRule.enabled }}", rule);
        Assert.Contains("{{ .Files.Get \"files/prometheus-rules.yaml\" | indent 2 }}", rule);
        Assert.Contains("kind: PrometheusRule", rule);
        Assert.StartsWith("{{- if .Values.metrics.grafanaDashboard.enabled }}", dashboard);
        Assert.Contains("{{ .Files.Get \"files/grafana-dashboard.json\" | indent 4 }}", dashboard);
        Assert.Contains("prometheusRule:\n    enabled: false", values);
        Assert.Contains("grafanaDashboard:\n    enabled: false", values);
    }

    [GeneratedRegex(@"histogram_quantile\(([0-9.]+),")]
    private static partial Regex QuantileOf();
}
