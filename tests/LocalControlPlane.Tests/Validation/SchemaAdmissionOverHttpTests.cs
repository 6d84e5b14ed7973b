using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace CallImport.LocalControlPlane.Tests.Validation;

/// <summary>The server's default admission is the CRD schema: what kubectl and KubernetesClient see.</summary>
public sealed class SchemaAdmissionOverHttpTests : PlaneTest
{
    private const string Group = "imports.example.com";

    [SkippableFact]
    public async Task KubectlApply_OfAnInvalidImportJob_IsRefusedWithTheSchemaAndCelMessages()
    {
        Kubectl.SkipWhenAbsent();
        await ApplyDefinitionWithKubectlAsync();

        var result = await Kubectl.ApplyAsync(ImportJobYaml(customerId: "acme", platform: "teams", start: "2025-02-01T00:00:00Z", end: "2025-01-01T00:00:00Z"));

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("spec.platform: Unsupported value: \"teams\": supported values: \"grain\", \"gong\", \"zoom\"", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("spec.dateRange.start: Invalid value: \"object\": start must be before end", result.Stderr, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task KubectlApply_ThatChangesAnImmutableField_IsRefusedByTheTransitionRule()
    {
        Kubectl.SkipWhenAbsent();
        await ApplyDefinitionWithKubectlAsync();
        (await Kubectl.ApplyAsync(ImportJobYaml(customerId: "acme", platform: "grain"))).EnsureSuccess();

        var sameCustomer = await Kubectl.ApplyAsync(ImportJobYaml(customerId: "acme", platform: "gong"));
        var otherCustomer = await Kubectl.ApplyAsync(ImportJobYaml(customerId: "other", platform: "gong"));

        sameCustomer.EnsureSuccess();
        Assert.NotEqual(0, otherCustomer.ExitCode);
        Assert.Contains("spec.customerId: Invalid value: \"string\": customerId is immutable", otherCustomer.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_StoresDefaultsAndPrunesUnknownFields()
    {
        await CreateDefinitionAsync();

        var created = await CreateAsync(new JsonObject { ["customerId"] = "acme", ["platform"] = "grain", ["bogus"] = 1 });

        var spec = JsonNode.Parse(KubernetesJson.Serialize(created))!["spec"]!;
        Assert.Equal("delta", (string?)spec["mode"]);
        Assert.Equal(2, (int?)spec["concurrency"]);
        Assert.Null(spec["bogus"]);
    }

    [Fact]
    public async Task StatusWrite_WithAValueOutsideTheEnum_Is422OnTheStatusField()
    {
        await CreateDefinitionAsync();
        await CreateAsync(new JsonObject { ["customerId"] = "acme", ["platform"] = "grain" });
        var patch = new V1Patch("""{"status":{"phase":"Lost"}}""", V1Patch.PatchType.MergePatch);

        var error = await Assert.ThrowsAsync<HttpOperationException>(() =>
            Client.PatchNamespacedCustomObjectStatusAsync(patch, Group, "v1", "default", "importjobs", "nightly"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, error.Response.StatusCode);
        Assert.Equal("ImportJob.imports.example.com \"nightly\" is invalid: status.phase: Unsupported value: \"Lost\": supported values: \"Pending\", \"Running\", \"Succeeded\"",
            (string?)JsonNode.Parse(error.Response.Content)!["message"]);
    }

    private async Task ApplyDefinitionWithKubectlAsync()
    {
        (await Kubectl.ApplyAsync(ImportJobLikeCrd.Json)).EnsureSuccess();
    }

    private async Task CreateDefinitionAsync() =>
        await Client.CreateCustomResourceDefinitionAsync(KubernetesJson.Deserialize<V1CustomResourceDefinition>(ImportJobLikeCrd.Json));

    private async Task<object> CreateAsync(JsonObject spec) =>
        await Client.CreateNamespacedCustomObjectAsync(
            new JsonObject { ["apiVersion"] = $"{Group}/v1", ["kind"] = "ImportJob", ["metadata"] = new JsonObject { ["name"] = "nightly" }, ["spec"] = spec },
            Group, "v1", "default", "importjobs");

    private static string ImportJobYaml(string customerId, string platform, string start = "2025-01-01T00:00:00Z", string end = "2025-02-01T00:00:00Z") => $"""
        apiVersion: imports.example.com/v1
        kind: ImportJob
        metadata:
          name: nightly
          namespace: default
        spec:
          customerId: {customerId}
          platform: {platform}
          dateRange:
            start: "{start}"
            end: "{end}"
        """;
}
