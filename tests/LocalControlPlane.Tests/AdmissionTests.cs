using System.Net;
using System.Text.Json.Nodes;
using CallImport.LocalControlPlane.Resources;
using k8s;
using k8s.Autorest;

namespace CallImport.LocalControlPlane.Tests;

/// <summary>How the server turns an admission result into the Status kubectl prints (the validation itself lives elsewhere).</summary>
public sealed class AdmissionTests : PlaneTest
{
    protected override LocalControlPlaneOptions Options => new() { Port = 0, Admission = new ColorRules() };

    [Fact]
    public async Task OneCause_IsPrintedWithoutBrackets()
    {
        await CreateWidgetDefinitionAsync();

        var error = await CreateAsync(new JsonObject { ["color"] = "pink", ["size"] = 1 });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, error.Response.StatusCode);
        var status = JsonNode.Parse(error.Response.Content)!;
        Assert.Equal("Widget.example.com \"w\" is invalid: spec.color: Unsupported value: \"pink\": supported values: \"blue\", \"red\"", (string?)status["message"]);
        Assert.Equal("Widget", (string?)status["details"]!["kind"]);
        Assert.Equal("FieldValueNotSupported", (string?)status["details"]!["causes"]![0]!["reason"]);
    }

    [Fact]
    public async Task SeveralCauses_ArePrintedInBrackets()
    {
        await CreateWidgetDefinitionAsync();

        var error = await CreateAsync(new JsonObject { ["color"] = "pink" });

        Assert.Equal("Widget.example.com \"w\" is invalid: [spec.color: Unsupported value: \"pink\": supported values: \"blue\", \"red\", spec.size: Required value]",
            (string?)JsonNode.Parse(error.Response.Content)!["message"]);
    }

    [Fact]
    public async Task UnknownFieldUnderStrict_Is400StrictDecodingError()
    {
        await CreateWidgetDefinitionAsync();
        using var http = new HttpClient { BaseAddress = Plane.Url };
        var body = """{"apiVersion":"example.com/v1","kind":"Widget","metadata":{"name":"w"},"spec":{"color":"blue","size":1,"extra":true}}""";

        using var strict = await http.PostAsync("apis/example.com/v1/namespaces/default/widgets?fieldValidation=Strict", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        using var warn = await http.PostAsync("apis/example.com/v1/namespaces/default/widgets", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, strict.StatusCode);
        Assert.Equal("Widget in version \"v1\" cannot be handled as a Widget: strict decoding error: unknown field \"spec.extra\"",
            (string?)JsonNode.Parse(await strict.Content.ReadAsStringAsync())!["message"]);
        Assert.Equal(HttpStatusCode.Created, warn.StatusCode);
        Assert.Contains("299 - \"unknown field \\\"spec.extra\\\"\"", warn.Headers.GetValues("Warning"));
    }

    private async Task<HttpOperationException> CreateAsync(JsonObject spec)
    {
        var widget = new JsonObject
        {
            ["apiVersion"] = "example.com/v1", ["kind"] = "Widget", ["metadata"] = new JsonObject { ["name"] = "w" }, ["spec"] = spec,
        };
        return await Assert.ThrowsAsync<HttpOperationException>(() =>
            Client.CreateNamespacedCustomObjectAsync(widget, TestManifests.Group, "v1", "default", TestManifests.Plural));
    }

    /// <summary>A stand-in validator: color must be blue or red, size is required, spec.extra is unknown.</summary>
    private sealed class ColorRules : ICustomResourceAdmission
    {
        public AdmissionResult Admit(JsonObject crd, string version, JsonObject obj, JsonObject? old, string? subresource, string fieldValidation)
        {
            var causes = new List<AdmissionCause>();
            var spec = obj["spec"]!.AsObject();
            if ((string?)spec["color"] is { } color && color is not ("blue" or "red"))
            {
                causes.Add(new("FieldValueNotSupported", $"Unsupported value: \"{color}\": supported values: \"blue\", \"red\"", "spec.color"));
            }
            if (spec["size"] is null)
            {
                causes.Add(new("FieldValueRequired", "Required value", "spec.size"));
            }
            var unknown = spec.ContainsKey("extra") ? new[] { "spec.extra" } : [];
            spec.Remove("extra");
            var warnings = fieldValidation == "Warn" ? unknown.Select(f => $"unknown field \"{f}\"").ToArray() : [];
            return new AdmissionResult(causes, warnings, unknown);
        }
    }
}
