using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CallImport.Operator.Tests.Samples;

namespace CallImport.Operator.Tests.Monitoring;

/// <summary>Runs deploy/argocd/importjob-health.lua with the real Lua 5.4 interpreter, the ImportJob given as Argo CD gives it (global <c>obj</c>).</summary>
internal static class ArgoHealthCheck
{
    public static readonly string Script = Path.Combine(YamlDocuments.RepositoryRoot(), "deploy/argocd/importjob-health.lua");

    public static async Task<(string Status, string Message)> EvaluateAsync(JsonNode importJob)
    {
        var lua = MonitoringTool.Require("lua5.4", "lua5.4");
        var program = $"""
            obj = {ToLua(importJob)}
            local hs = dofile({Quote(Script)})
            io.write(hs.status, "\n", hs.message)
            """;
        var (exit, output) = await MonitoringTool.RunAsync(lua, Path.GetTempPath(), program, "-");
        Assert.True(exit == 0, output);
        var lines = output.Split('\n', 2);
        return (lines[0], lines.Length > 1 ? lines[1] : "");
    }

    public static Task<(string Status, string Message)> EvaluateAsync(JsonElement importJob) => EvaluateAsync(JsonNode.Parse(importJob.GetRawText())!);

    private static string ToLua(JsonNode? node) => node switch
    {
        null => "nil",
        JsonObject o => "{ " + string.Join(", ", o.Where(kv => kv.Value is not null).Select(kv => $"[{Quote(kv.Key)}] = {ToLua(kv.Value)}")) + " }",
        JsonArray a => "{ " + string.Join(", ", a.Select(ToLua)) + " }",
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.String => Quote(v.GetValue<string>()),
            JsonValueKind.Number => v.ToJsonString(),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            _ => "nil",
        },
        _ => "nil",
    };

    private static string Quote(string text)
    {
        var quoted = new StringBuilder("\"");
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            if (b is (byte)'"' or (byte)'\\' || b < 0x20 || b >= 0x7f)
                quoted.Append('\\').Append(b.ToString("D3", CultureInfo.InvariantCulture));
            else
                quoted.Append((char)b);
        }
        return quoted.Append('"').ToString();
    }
}
