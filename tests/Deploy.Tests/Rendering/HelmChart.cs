using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.Serialization;

namespace CallImport.Deploy.Tests.Rendering;

/// <summary>One rendered Kubernetes object and the template it came from.</summary>
public sealed record RenderedObject(string Template, JsonObject Body)
{
    public string Kind => (string?)Body["kind"] ?? "";

    public string Name => (string?)Body["metadata"]?["name"] ?? "";

    public string? Namespace => (string?)Body["metadata"]?["namespace"];

    public override string ToString() => $"{Kind} {Namespace}/{Name} ({Template})";
}

/// <summary>What <c>helm template</c> would print: the objects and NOTES.txt.</summary>
public sealed record RenderedChart(IReadOnlyList<RenderedObject> Objects, string Notes, IReadOnlyDictionary<string, string> Manifests)
{
    public IEnumerable<RenderedObject> OfKind(string kind) => Objects.Where(o => o.Kind == kind);

    public RenderedObject One(string kind, string? nameSuffix = null) =>
        Objects.Single(o => o.Kind == kind && (nameSuffix is null || o.Name.EndsWith(nameSuffix, StringComparison.Ordinal)));
}

/// <summary>
/// Renders a chart as Helm's engine does, for the part of it this chart uses: values.yaml coalesced with the
/// given values (a null deletes a default), checked against values.schema.json first (as helm install does),
/// the built-in objects .Values, .Release, .Chart, .Files (Get) and .Capabilities, every template under templates/ (files
/// starting with "_" only define), each manifest parsed as YAML. A failure throws with the template and line.
/// </summary>
public static class HelmChart
{
    private static readonly IDeserializer Yaml = new DeserializerBuilder().WithAttemptingUnquotedStringTypeDeserialization().Build();

    public static RenderedChart Render(string chartDirectory, string? valuesYaml = null, string release = "callimport", string ns = "callimport-system", bool isUpgrade = false)
    {
        var values = Coalesce(Load(Path.Combine(chartDirectory, "values.yaml")), valuesYaml is null ? null : TemplateValues.FromData(Yaml.Deserialize<object?>(valuesYaml)));
        CheckSchema(chartDirectory, values);
        var chart = (IDictionary<string, object?>)Load(Path.Combine(chartDirectory, "Chart.yaml"))!;
        var data = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["Values"] = values,
            ["Release"] = new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["Name"] = release, ["Namespace"] = ns, ["Service"] = "Helm", ["IsInstall"] = !isUpgrade, ["IsUpgrade"] = isUpgrade, ["Revision"] = 1L,
            },
            ["Chart"] = new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["Name"] = chart["name"], ["Version"] = chart["version"], ["AppVersion"] = chart["appVersion"], ["Description"] = chart["description"],
            },
            // .Files.Get: a file of the chart by its path, "" when there is none (as Helm does).
            ["Files"] = new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["Get"] = (Func<string, object?>)(path => File.Exists(Path.Combine(chartDirectory, path)) ? File.ReadAllText(Path.Combine(chartDirectory, path)) : ""),
            },
            ["Capabilities"] = new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["KubeVersion"] = new Dictionary<string, object?>(StringComparer.Ordinal) { ["Version"] = "v1.31.0", ["Major"] = "1", ["Minor"] = "31" },
            },
        };

        var templatesDirectory = Path.Combine(chartDirectory, "templates");
        var parsed = Directory.GetFiles(templatesDirectory, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            .Select(path => TemplateParser.Parse(File.ReadAllText(path), Path.GetRelativePath(chartDirectory, path).Replace('\\', '/')))
            .ToList();
        var defines = parsed.SelectMany(p => p.Defines).GroupBy(d => d.Key).ToDictionary(g => g.Key, g => g.Last().Value, StringComparer.Ordinal);
        var evaluator = new TemplateEvaluator(defines);

        var objects = new List<RenderedObject>();
        var notes = "";
        var manifests = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var template in parsed)
        {
            var file = Path.GetFileName(template.Name);
            if (file.StartsWith('_'))
                continue;
            var text = evaluator.Execute(template.Body, data);
            if (file == "NOTES.txt")
            {
                notes = text;
                continue;
            }
            manifests[template.Name] = text;
            objects.AddRange(Documents(template.Name, text));
        }
        return new RenderedChart(objects, notes, manifests);
    }

    private static IEnumerable<RenderedObject> Documents(string template, string text)
    {
        var parser = new Parser(new StringReader(text));
        parser.Consume<StreamStart>();
        var index = 0;
        while (parser.Accept<DocumentStart>(out _))
        {
            object? document;
            try
            {
                document = Yaml.Deserialize<object?>(parser);
            }
            catch (YamlException e)
            {
                throw new TemplateException($"{template}: document {index} is not valid YAML ({e.Message}):\n{text}");
            }
            index++;
            if (document is null)
                continue;
            var json = JsonNode.Parse(JsonSerializer.Serialize(document)) as JsonObject
                       ?? throw new TemplateException($"{template}: document {index} is not a mapping:\n{text}");
            yield return new RenderedObject(template, json);
        }
    }

    private static object? Load(string path) => TemplateValues.FromData(Yaml.Deserialize<object?>(File.ReadAllText(path)));

    /// <summary>Helm's coalescing: maps merge key by key, anything else replaces, an explicit null removes the default.</summary>
    private static object? Coalesce(object? defaults, object? overrides)
    {
        if (overrides is null)
            return defaults;
        if (defaults is not IDictionary<string, object?> baseMap || overrides is not IDictionary<string, object?> overMap)
            return overrides;
        var merged = new Dictionary<string, object?>(baseMap, StringComparer.Ordinal);
        foreach (var (key, value) in overMap)
        {
            if (value is null)
                merged.Remove(key);
            else
                merged[key] = merged.TryGetValue(key, out var old) ? Coalesce(old, value) : value;
        }
        return merged;
    }

    private static void CheckSchema(string chartDirectory, object? values)
    {
        var schemaPath = Path.Combine(chartDirectory, "values.schema.json");
        if (!File.Exists(schemaPath))
            return;
        var schema = JsonSchema.FromText(File.ReadAllText(schemaPath));
        var result = schema.Evaluate(JsonSerializer.SerializeToElement(TemplateFunctions.ToData(values)), new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (!result.IsValid)
        {
            var errors = (result.Details ?? []).Where(d => d.Errors is not null).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}"));
            throw new TemplateException("values don't meet the specifications of the schema: " + string.Join("; ", errors));
        }
    }
}
