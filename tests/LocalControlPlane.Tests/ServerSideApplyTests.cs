using System.Text.Json.Nodes;
using CallImport.LocalControlPlane.Patching;

namespace CallImport.LocalControlPlane.Tests;

public sealed class ServerSideApplyTests
{
    [Fact]
    public void ReapplyWithoutALabel_RemovesOnlyThatLabel_AndKeepsOtherManagersFields()
    {
        var first = ServerSideApply.Apply(null, Config("""{"a":"1","b":"2"}""", """{"x":1,"y":2}"""), "kubectl", "v1", "t1");
        first["metadata"]!["labels"]!["other"] = "kept";
        first["metadata"]!["uid"] = "u1";
        first["status"] = new JsonObject { ["phase"] = "Ready" };

        var second = ServerSideApply.Apply(first, Config("""{"a":"1"}""", """{"x":1}"""), "kubectl", "v1", "t2");

        Assert.Equal("""{"a":"1","other":"kept"}""", second["metadata"]!["labels"]!.ToJsonString());
        Assert.Equal("u1", (string?)second["metadata"]!["uid"]);
        Assert.Equal("""{"x":1}""", second["spec"]!.ToJsonString());
        Assert.Equal("Ready", (string?)second["status"]!["phase"]);
    }

    [Fact]
    public void ReapplyWithoutAnyLabels_KeepsMetadata()
    {
        var first = ServerSideApply.Apply(null, Config("""{"a":"1"}""", """{"x":1}"""), "kubectl", "v1", "t1");
        var config = Config("""{}""", """{"x":1}""");
        config["metadata"]!.AsObject().Remove("labels");

        var second = ServerSideApply.Apply(first, config, "kubectl", "v1", "t2");

        Assert.Equal("w", (string?)second["metadata"]!["name"]);
        Assert.Null(second["metadata"]!["labels"]);
    }

    [Fact]
    public void UnchangedReapply_KeepsTheManagerTime()
    {
        var first = ServerSideApply.Apply(null, Config("""{"a":"1"}""", """{"x":1}"""), "kubectl", "v1", "t1");

        var second = ServerSideApply.Apply(first, Config("""{"a":"1"}""", """{"x":1}"""), "kubectl", "v1", "t2");

        Assert.True(JsonNode.DeepEquals(first, second));
    }

    private static JsonObject Config(string labels, string spec) => new()
    {
        ["apiVersion"] = "example.com/v1",
        ["kind"] = "Widget",
        ["metadata"] = new JsonObject { ["name"] = "w", ["labels"] = JsonNode.Parse(labels) },
        ["spec"] = JsonNode.Parse(spec),
    };
}
