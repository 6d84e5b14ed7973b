using YamlDotNet.Serialization;

namespace CallImport.Deploy.Tests.Rendering;

/// <summary>Helm's <c>toYaml</c>: block YAML with sorted keys and no trailing newline.</summary>
internal static class YamlText
{
    private static readonly ISerializer Serializer = new SerializerBuilder().WithQuotingNecessaryStrings().Build();

    public static string Of(object? value) => value switch
    {
        null => "null",
        IDictionary<string, object?> { Count: 0 } => "{}",
        IList<object?> { Count: 0 } => "[]",
        _ => Serializer.Serialize(TemplateFunctions.ToData(value)).TrimEnd('\n', '\r'),
    };
}
