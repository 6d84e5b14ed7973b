using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using YamlDotNet.Serialization;

namespace CallImport.LocalControlPlane.Http;

/// <summary>Reads a request body as JSON, or as YAML for apply patches (both clients send JSON there too).</summary>
public static class RequestBody
{
    public static async Task<JsonNode?> ReadAsync(HttpRequest request, string mediaType)
    {
        if (mediaType == "application/vnd.kubernetes.protobuf")
        {
            using var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer, request.HttpContext.RequestAborted);
            return buffer.Length == 0 ? null : ProtobufBody.Decode(buffer.ToArray());
        }
        using var reader = new StreamReader(request.Body);
        var text = await reader.ReadToEndAsync(request.HttpContext.RequestAborted);
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException e) when (mediaType == "application/apply-patch+yaml" || mediaType.EndsWith("yaml", StringComparison.Ordinal))
        {
            return FromYaml(text) ?? throw ApiException.BadRequest("error decoding YAML: " + e.Message);
        }
        catch (JsonException e)
        {
            throw ApiException.BadRequest("couldn't get version/kind; json parse error: " + e.Message);
        }
    }

    private static JsonNode? FromYaml(string text)
    {
        try
        {
            var graph = new DeserializerBuilder().WithAttemptingUnquotedStringTypeDeserialization().Build().Deserialize<object?>(text);
            return Convert(graph);
        }
        catch (YamlDotNet.Core.YamlException)
        {
            return null;
        }
    }

    private static JsonNode? Convert(object? value) => value switch
    {
        null => null,
        IDictionary<object, object?> map => new JsonObject(map.Select(p => KeyValuePair.Create(p.Key.ToString() ?? "", Convert(p.Value)))),
        IList<object?> list => new JsonArray([.. list.Select(Convert)]),
        string s => JsonValue.Create(s),
        bool b => JsonValue.Create(b),
        int i => JsonValue.Create(i),
        long l => JsonValue.Create(l),
        double d => JsonValue.Create(d),
        float f => JsonValue.Create(f),
        decimal m => JsonValue.Create(m),
        ulong u => JsonValue.Create(u),
        _ => JsonValue.Create(value.ToString()),
    };
}
