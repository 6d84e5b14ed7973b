using System.Reflection;
using System.Text.RegularExpressions;
using CallImport.Operator;

namespace CallImport.Deploy.Tests;

public sealed class ChartWiringTests
{
    [Fact]
    public void ChartCrd_IsTheReviewedCrd()
    {
        var reviewed = File.ReadAllText(Path.Combine(Chart.Root, "config", "crd", "importjobs.callimport.io.yaml"));
        Assert.Equal(reviewed, Chart.Read("crds", "importjobs.callimport.io.yaml"));
    }

    [Fact]
    public void EveryOperatorSettingTheChartSets_ExistsInOperatorSettings()
    {
        var settings = typeof(OperatorSettings).GetProperties(BindingFlags.Public | BindingFlags.Instance).Select(p => p.Name).ToHashSet();
        var names = Regex.Matches(Chart.Read("templates", "deployment.yaml"), @"Operator__([A-Za-z]+)").Select(m => m.Groups[1].Value).Distinct().ToList();
        Assert.NotEmpty(names);
        Assert.All(names, name => Assert.Contains(name, settings));
    }

    [Fact]
    public void Deployment_RunsHardened()
    {
        var deployment = Chart.Read("templates", "deployment.yaml");
        foreach (var setting in new[] { "runAsNonRoot: true", "readOnlyRootFilesystem: true", "allowPrivilegeEscalation: false", "drop: [\"ALL\"]", "type: RuntimeDefault" })
            Assert.Contains(setting, deployment, StringComparison.Ordinal);
    }

    [Fact]
    public void Rbac_GrantsWhatTheOperatorUses_AndLeasesOnlyInItsNamespace()
    {
        var rbac = Chart.Read("templates", "rbac.yaml");
        foreach (var resource in new[] { "\"importjobs\"", "\"importjobs/status\"", "\"jobs\"", "\"pods\"", "\"secrets\"", "\"events\"", "\"leases\"" })
            Assert.Contains(resource, rbac, StringComparison.Ordinal);
        Assert.DoesNotContain("\"*\"", rbac, StringComparison.Ordinal);
    }
}
