using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Json.Schema;

namespace CallImport.Deploy.Tests;

public sealed class ChartValuesTests
{
    private static readonly JsonSchema Schema = JsonSchema.FromText(Chart.Read("values.schema.json"));

    private static EvaluationResults Evaluate(JsonNode? values) =>
        Schema.Evaluate(System.Text.Json.JsonSerializer.SerializeToElement(values), new EvaluationOptions { OutputFormat = OutputFormat.List });

    [Fact]
    public void DefaultValues_SatisfyTheSchema()
    {
        var result = Evaluate(Chart.YamlToJson(Chart.Read("values.yaml")));
        Assert.True(result.IsValid, string.Join("; ", (result.Details ?? []).Where(d => d.Errors is not null).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}"))));
    }

    [Theory]
    [InlineData("replicaCount", "\"two\"")]
    [InlineData("logLevel", "\"Chatty\"")]
    [InlineData("unknownKey", "1")]
    public void WrongTopLevelValues_AreRefused(string key, string json)
    {
        var values = Chart.YamlToJson(Chart.Read("values.yaml"))!.AsObject();
        values[key] = JsonNode.Parse(json);
        Assert.False(Evaluate(values).IsValid);
    }

    [Theory]
    [InlineData("defaultWindowStart", "\"25:00\"")]
    [InlineData("maxConcurrentRuns", "0")]
    public void WrongSettings_AreRefused(string key, string json)
    {
        var values = Chart.YamlToJson(Chart.Read("values.yaml"))!.AsObject();
        values["settings"]![key] = JsonNode.Parse(json);
        Assert.False(Evaluate(values).IsValid);
    }

    [Fact]
    public void RunnerStorage_MustBeAGcsOrFileUri()
    {
        var values = Chart.YamlToJson(Chart.Read("values.yaml"))!.AsObject();
        values["runner"]!["storage"] = "s3://bucket";
        Assert.False(Evaluate(values).IsValid);
        values["runner"]!["storage"] = "gs://acme-media/calls";
        Assert.True(Evaluate(values).IsValid);
    }

    [Fact]
    public void EveryValueATemplateReads_IsDeclaredInValuesYaml()
    {
        var values = Chart.YamlToJson(Chart.Read("values.yaml"))!.AsObject();
        var templates = Directory.GetFiles(Path.Combine(Chart.ChartDirectory, "templates")).Select(File.ReadAllText);
        var paths = templates.SelectMany(t => Regex.Matches(t, @"\.Values((?:\.[A-Za-z][A-Za-z0-9]*)+)").Select(m => m.Groups[1].Value)).Distinct();
        foreach (var path in paths)
        {
            JsonNode? node = values;
            foreach (var part in path.Trim('.').Split('.'))
            {
                Assert.True(node is JsonObject o && o.ContainsKey(part), $".Values{path} is read by a template but not declared in values.yaml");
                node = node![part];
            }
        }
    }
}
