using System.Text.Json.Nodes;
using CallImport.LocalControlPlane.Validation;

namespace CallImport.LocalControlPlane.Tests.Validation;

/// <summary>CEL rules the way a CRD carries them: each rule on a string field, checked against a value.</summary>
public sealed class CelRuleTests
{
    [Theory]
    [InlineData("self.matches('^([01][0-9]|2[0-3]):[0-5][0-9]$')", "\"07:30\"", true)]
    [InlineData("self.matches('^([01][0-9]|2[0-3]):[0-5][0-9]$')", "\"7:30\"", false)]
    [InlineData("int(self.split(':')[0]) < 24", "\"23:00\"", true)]
    [InlineData("self.split(':', 2).size() == 2", "\"a:b:c\"", true)]
    [InlineData("self.lowerAscii() == self", "\"Grain\"", false)]
    [InlineData("self.upperAscii() == 'GRAIN'", "\"grain\"", true)]
    [InlineData("self.substring(0, 3) == 'acm'", "\"acme\"", true)]
    [InlineData("self.indexOf('-') == 4", "\"acme-eu\"", true)]
    [InlineData("self.replace('-', '_') == 'acme_eu'", "\"acme-eu\"", true)]
    [InlineData("self.trim() == self", "\" acme\"", false)]
    [InlineData("self.charAt(0) == 'a'", "\"acme\"", true)]
    [InlineData("timestamp(self) > timestamp('2020-01-01T00:00:00Z')", "\"2025-06-01T00:00:00Z\"", true)]
    [InlineData("size(self) <= 8", "\"123456789\"", false)]
    [InlineData("self.size() > 0", "\"\"", false)]
    public void StringRule_EvaluatesLikeTheApiServer(string rule, string value, bool admitted)
    {
        var causes = Admit(new JsonObject { ["type"] = "string", ["x-kubernetes-validations"] = new JsonArray(new JsonObject { ["rule"] = rule }) }, value);

        Assert.Equal(admitted, causes.Count == 0);
    }

    [Theory]
    [InlineData("self.all(k, k.size() > 0)", """{"a":"1"}""", true)]
    [InlineData("self.all(k, k.size() > 1)", """{"a":"1"}""", false)]
    [InlineData("self.exists(k, self[k] == 'x')", """{"a":"x"}""", true)]
    [InlineData("size(self) <= 1", """{"a":"1","b":"2"}""", false)]
    public void MapRule_EvaluatesLikeTheApiServer(string rule, string value, bool admitted)
    {
        var schema = new JsonObject
        {
            ["type"] = "object",
            ["additionalProperties"] = new JsonObject { ["type"] = "string" },
            ["x-kubernetes-validations"] = new JsonArray(new JsonObject { ["rule"] = rule }),
        };

        Assert.Equal(admitted, Admit(schema, value).Count == 0);
    }

    [Theory]
    [InlineData("self.isSorted()", """["a","b"]""", true)]
    [InlineData("self.isSorted()", """["b","a"]""", false)]
    [InlineData("self.join(',') == 'a,b'", """["a","b"]""", true)]
    [InlineData("self.exists_one(x, x == 'a')", """["a","a"]""", false)]
    public void ListRule_EvaluatesLikeTheApiServer(string rule, string value, bool admitted)
    {
        var schema = new JsonObject
        {
            ["type"] = "array",
            ["items"] = new JsonObject { ["type"] = "string" },
            ["x-kubernetes-validations"] = new JsonArray(new JsonObject { ["rule"] = rule }),
        };

        Assert.Equal(admitted, Admit(schema, value).Count == 0);
    }

    [Fact]
    public void RuleThatDoesNotCompile_IsReportedOnTheField()
    {
        var causes = Admit(new JsonObject { ["type"] = "string", ["x-kubernetes-validations"] = new JsonArray(new JsonObject { ["rule"] = "self ==" }) }, "\"a\"");

        var cause = Assert.Single(causes);
        Assert.Equal("spec.value", cause.Field);
        Assert.StartsWith("Invalid value: \"string\": compilation error", cause.Message, StringComparison.Ordinal);
    }

    private static IReadOnlyList<Resources.AdmissionCause> Admit(JsonObject valueSchema, string valueJson)
    {
        var crd = new JsonObject
        {
            ["spec"] = new JsonObject
            {
                ["versions"] = new JsonArray(new JsonObject
                {
                    ["name"] = "v1",
                    ["schema"] = new JsonObject
                    {
                        ["openAPIV3Schema"] = new JsonObject
                        {
                            ["type"] = "object",
                            ["properties"] = new JsonObject
                            {
                                ["spec"] = new JsonObject { ["type"] = "object", ["properties"] = new JsonObject { ["value"] = valueSchema } },
                            },
                        },
                    },
                }),
            },
        };
        var obj = new JsonObject { ["spec"] = new JsonObject { ["value"] = JsonNode.Parse(valueJson) } };
        return new SchemaAdmission().Admit(crd, "v1", obj, null, null, "Strict").Causes;
    }
}
