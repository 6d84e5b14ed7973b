namespace CallImport.Deploy.Tests.Rendering;

/// <summary>One template text executed on data given as YAML (numbers as float64, as in Helm's values).</summary>
internal static class GoTemplate
{
    public static string Render(string template, string dataYaml = "{}")
    {
        var data = TemplateValues.FromData(new YamlDotNet.Serialization.DeserializerBuilder().WithAttemptingUnquotedStringTypeDeserialization().Build().Deserialize<object?>(dataYaml));
        var parsed = TemplateParser.Parse(template, "test");
        return new TemplateEvaluator(parsed.Defines).Execute(parsed.Body, data);
    }
}
