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
    public void Schema_IsDraft07AndDeclaresGlobal_SoEveryHelm3AcceptsIt()
    {
        var schema = System.Text.Json.Nodes.JsonNode.Parse(Chart.Read("values.schema.json"))!;
        // Helm before 3.18 validates with gojsonschema, which knows drafts 4 to 7 only.
        Assert.Equal("http://json-schema.org/draft-07/schema#", (string?)schema["$schema"]);
        Assert.DoesNotContain("$defs", Chart.Read("values.schema.json"), StringComparison.Ordinal);
        // A parent chart passes "global" to every subchart; with additionalProperties false it must be declared.
        Assert.Equal("object", (string?)schema["properties"]!["global"]!["type"]);
        var values = Chart.YamlToJson(Chart.Read("values.yaml"))!.AsObject();
        values["global"] = new JsonObject { ["imageRegistry"] = "mirror.example" };
        Assert.True(Evaluate(values).IsValid);
    }

    [Theory]
    [InlineData("watchAllNamespaces: true\nwatchNamespaces: [team-a]")]
    [InlineData("watchNamespaces: [Team_A]")]
    [InlineData("watchNamespaces: [team-a, team-a]")]
    [InlineData("metrics: { port: 80 }")]
    [InlineData("runner: { extraEnv: { 'BAD-NAME': x } }")]
    [InlineData("database: { existingSecret: '' }")]
    [InlineData("metrics: { serviceMonitor: { interval: soon } }")]
    public void ContradictoryOrMalformedValues_AreRefusedBeforeRendering(string values)
    {
        var error = Assert.Throws<Rendering.TemplateException>(() => Chart.Render(values));
        Assert.Contains("schema", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ValuesReservedForTheAlertsAndDashboard_AreAccepted()
    {
        // metrics.prometheusRule and metrics.grafanaDashboard take their own keys (their templates own them).
        var values = Chart.YamlToJson(Chart.Read("values.yaml"))!.AsObject();
        values["metrics"]!["prometheusRule"] = new JsonObject { ["enabled"] = true, ["labels"] = new JsonObject { ["release"] = "x" } };
        values["metrics"]!["grafanaDashboard"] = new JsonObject { ["enabled"] = true };
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
