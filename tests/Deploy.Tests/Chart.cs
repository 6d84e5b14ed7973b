using System.Text.Json;
using System.Text.Json.Nodes;
using YamlDotNet.Serialization;

namespace CallImport.Deploy.Tests;

/// <summary>The chart's files, found from the repository root.</summary>
internal static class Chart
{
    public static string Root { get; } = FindRoot();

    public static string ChartDirectory => Path.Combine(Root, "deploy", "helm", "callimport");

    public static string Read(params string[] path) => File.ReadAllText(Path.Combine([ChartDirectory, .. path]));

    public static string ReadRepositoryFile(string relative) => File.ReadAllText(Path.Combine(Root, relative));

    /// <summary>The chart rendered as <c>helm template callimport -n callimport-system [-f values]</c> would.</summary>
    public static Rendering.RenderedChart Render(string? values = null) => Rendering.HelmChart.Render(ChartDirectory, values);

    /// <summary>The operator container's environment in the rendered Deployment, name → value (or secret reference).</summary>
    public static Dictionary<string, JsonNode?> OperatorEnvironment(Rendering.RenderedChart chart) =>
        chart.One("Deployment")
            .Body["spec"]!["template"]!["spec"]!["containers"]!.AsArray().Single(c => (string?)c!["name"] == "operator")!["env"]!.AsArray()
            .ToDictionary(e => (string)e!["name"]!, e => e!["value"] ?? e["valueFrom"]);

    /// <summary>YAML as JSON, so JSON Schema can judge it.</summary>
    public static JsonNode? YamlToJson(string yaml)
    {
        var data = new DeserializerBuilder().WithAttemptingUnquotedStringTypeDeserialization().Build().Deserialize<object?>(yaml);
        return JsonNode.Parse(JsonSerializer.Serialize(data));
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "CallImport.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("CallImport.sln not found above " + AppContext.BaseDirectory);
    }
}
