using System.Text.RegularExpressions;
using CallImport.Operator.Tests.Samples;
using YamlDotNet.RepresentationModel;

namespace CallImport.Operator.Tests.Monitoring;

/// <summary>The chart's alerts through the real promtool: the rules are valid, and each alert's unit tests (firing and not firing) pass.</summary>
public sealed partial class PromtoolTests
{
    private static readonly string Root = YamlDocuments.RepositoryRoot();
    private static readonly string RulesFile = Path.Combine(Root, "deploy/helm/callimport/files/prometheus-rules.yaml");
    private static readonly string TestsDirectory = Path.Combine(Root, "tests/Operator.Tests/Monitoring");
    private const string UnitTestsFile = "alerts.promtool.yaml";
    private const string DailyUnitTestsFile = "alerts-daily.promtool.yaml";

    public static readonly string[] Alerts = ["CallImportImportJobFailed", "CallImportRateLimitExceeded", "CallImportNoCallsProcessed", "CallImportHighErrorRate"];

    [SkippableFact]
    public async Task Rules_PassPromtoolCheck()
    {
        var promtool = MonitoringTool.Require("promtool", "prometheus");

        var (exit, output) = await MonitoringTool.RunAsync(promtool, Root, null, "check", "rules", RulesFile);

        Assert.True(exit == 0, output);
        Assert.Contains("SUCCESS: 4 rules found", output);
    }

    [SkippableFact]
    public async Task Alerts_PassTheirPromtoolUnitTests()
    {
        var promtool = MonitoringTool.Require("promtool", "prometheus");

        var (exit, output) = await MonitoringTool.RunAsync(promtool, TestsDirectory, null, "test", "rules", UnitTestsFile, DailyUnitTestsFile);

        Assert.True(exit == 0, output);
        Assert.Equal(2, output.Split("SUCCESS").Length - 1);
    }

    [SkippableFact]
    public async Task UnitTests_CatchAWrongThreshold()
    {
        // The unit tests must bite: the same tests against rules whose error-rate threshold is 50% fail.
        var promtool = MonitoringTool.Require("promtool", "prometheus");
        var work = Directory.CreateTempSubdirectory("promtool-").FullName;
        try
        {
            var rules = await File.ReadAllTextAsync(RulesFile);
            Assert.Contains("> 0.10", rules);
            await File.WriteAllTextAsync(Path.Combine(work, "rules.yaml"), rules.Replace("> 0.10", "> 0.50", StringComparison.Ordinal));
            var tests = (await File.ReadAllTextAsync(Path.Combine(TestsDirectory, UnitTestsFile)))
                .Replace("../../../deploy/helm/callimport/files/prometheus-rules.yaml", "rules.yaml", StringComparison.Ordinal);
            await File.WriteAllTextAsync(Path.Combine(work, "tests.yaml"), tests);

            var (exit, output) = await MonitoringTool.RunAsync(promtool, work, null, "test", "rules", "tests.yaml");

            Assert.NotEqual(0, exit);
            Assert.Contains("CallImportHighErrorRate", output);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    [Fact]
    public void Rules_AreTheFourAlerts_EachWithARunbookSectionInTheReadme()
    {
        var rules = File.ReadAllText(RulesFile);
        var readme = File.ReadAllText(Path.Combine(Root, "README.md"));

        Assert.Equal(Alerts, AlertName().Matches(rules).Select(m => m.Groups[1].Value));
        foreach (var alert in Alerts)
        {
            Assert.Contains($"#{alert.ToLowerInvariant()}\"", rules);
            Assert.Contains($"### {alert}", readme);
        }
    }

    [Fact]
    public void UnitTests_CoverEveryAlert_FiringAndNotFiring()
    {
        var evaluations = new[] { UnitTestsFile, DailyUnitTestsFile }
            .Select(file =>
            {
                var yaml = new YamlStream();
                yaml.Load(new StringReader(File.ReadAllText(Path.Combine(TestsDirectory, file))));
                return yaml.Documents[0].RootNode;
            })
            .SelectMany(root => (YamlSequenceNode)((YamlMappingNode)root)["tests"])
            .SelectMany(t => (YamlSequenceNode)((YamlMappingNode)t)["alert_rule_test"])
            .Cast<YamlMappingNode>()
            .Select(e => (Alert: e["alertname"].ToString(), Fires: ((YamlSequenceNode)e["exp_alerts"]).Children.Count > 0))
            .ToList();

        foreach (var alert in Alerts)
        {
            Assert.Contains((alert, true), evaluations);
            Assert.Contains((alert, false), evaluations);
        }
    }

    [GeneratedRegex(@"- alert: (\w+)")]
    private static partial Regex AlertName();
}
