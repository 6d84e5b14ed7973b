using System.Reflection;
using System.Text.RegularExpressions;
using CallImport.Operator;

namespace CallImport.Deploy.Tests;

public sealed class ChartWiringTests
{
    [Fact]
    public void EveryOperatorSettingTheChartSets_ExistsInOperatorSettings()
    {
        var settings = typeof(OperatorSettings).GetProperties(BindingFlags.Public | BindingFlags.Instance).Select(p => p.Name).ToHashSet();
        var names = Regex.Matches(Chart.Read("templates", "deployment.yaml"), @"Operator__([A-Za-z]+)").Select(m => m.Groups[1].Value).Distinct().ToList();
        Assert.NotEmpty(names);
        Assert.All(names, name => Assert.Contains(name, settings));
    }
}
