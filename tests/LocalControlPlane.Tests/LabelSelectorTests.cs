using System.Text.Json.Nodes;
using CallImport.LocalControlPlane.Http;
using CallImport.LocalControlPlane.Selection;

namespace CallImport.LocalControlPlane.Tests;

public sealed class LabelSelectorTests
{
    private static readonly JsonObject Web = Labelled(("app", "x"), ("tier", "web"));
    private static readonly JsonObject Bare = Labelled();

    [Theory]
    [InlineData("app=x", true, false)]
    [InlineData("app==x,tier=web", true, false)]
    [InlineData("tier!=db", true, true)]
    [InlineData("tier in (web,db)", true, false)]
    [InlineData("tier notin (db)", true, true)]
    [InlineData("app", true, false)]
    [InlineData("!app", false, true)]
    [InlineData("app=x,tier notin (web)", false, false)]
    public void Matches_FollowsKubernetesOperators(string selector, bool web, bool bare)
    {
        var parsed = LabelSelector.Parse(selector);

        Assert.Equal((web, bare), (parsed.Matches(Web), parsed.Matches(Bare)));
    }

    [Fact]
    public void Parse_BadSyntax_IsBadRequest()
    {
        var error = Assert.Throws<ApiException>(() => LabelSelector.Parse("app in x"));

        Assert.Equal(400, error.Code);
    }

    private static JsonObject Labelled(params (string Key, string Value)[] labels) => new()
    {
        ["metadata"] = new JsonObject { ["labels"] = new JsonObject(labels.Select(l => KeyValuePair.Create<string, JsonNode?>(l.Key, l.Value))) },
    };
}
