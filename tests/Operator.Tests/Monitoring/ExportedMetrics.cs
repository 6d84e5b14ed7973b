using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CallImport.Operator.Tests.Samples;

namespace CallImport.Operator.Tests.Monitoring;

/// <summary>The metric families the operator's code creates (name → counter/gauge/histogram), and the metric names a PromQL expression uses.</summary>
internal static partial class ExportedMetrics
{
    private static readonly string Root = YamlDocuments.RepositoryRoot();

    public static IReadOnlyDictionary<string, string> InCode() =>
        Directory.EnumerateFiles(Path.Combine(Root, "src/Operator"), "*.cs", SearchOption.AllDirectories)
            .SelectMany(f => Creation().Matches(File.ReadAllText(f)))
            .ToDictionary(m => m.Groups["name"].Value, m => m.Groups["type"].Value.ToLowerInvariant());

    /// <summary>Metric names in an expression, histogram series (_bucket, _sum, _count) mapped to their family.</summary>
    public static IEnumerable<(string Series, string Family)> Used(string expression, IReadOnlyDictionary<string, string> families) =>
        MetricName().Matches(expression).Select(m => m.Value).Distinct().Select(series =>
        {
            var family = Regex.Replace(series, "_(bucket|sum|count)$", "");
            return (series, families.TryGetValue(family, out var type) && type == "histogram" && family != series ? family : series);
        });

    public static IEnumerable<string> DashboardExpressions() =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(Root, "deploy/helm/callimport/files/grafana-dashboard.json")))!["panels"]!.AsArray()
            .SelectMany(p => p!["targets"]!.AsArray().Select(t => t!["expr"]!.GetValue<string>()));

    public static IEnumerable<string> RuleExpressions() =>
        RuleExpression().Matches(File.ReadAllText(Path.Combine(Root, "deploy/helm/callimport/files/prometheus-rules.yaml")))
            .Select(m => m.Groups[1].Value);

    [GeneratedRegex(@"Create(?<type>Counter|Gauge|Histogram)\(\s*""(?<name>callimport_[a-z0-9_]+)""")]
    private static partial Regex Creation();

    [GeneratedRegex(@"callimport_[a-z0-9_]+")]
    private static partial Regex MetricName();

    [GeneratedRegex(@"expr: (?:\|\n)?((?:.|\n)*?)\n\s+for:")]
    private static partial Regex RuleExpression();
}
