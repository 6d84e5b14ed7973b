using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace CallImport.LocalControlPlane.Tests;

/// <summary>Wire details that neither client exercises by itself but both depend on.</summary>
public sealed class ProtocolTests : PlaneTest
{
    private HttpClient http = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        http = new HttpClient { BaseAddress = Plane.Url };
    }

    public override async Task DisposeAsync()
    {
        http.Dispose();
        await base.DisposeAsync();
    }

    [Fact]
    public async Task Discovery_ListsDefinedKindsWithStatusAndShortNames_AndOpenApiHashChanges()
    {
        var indexBefore = await GetJsonAsync("openapi/v3");
        await CreateWidgetDefinitionAsync();

        var resources = await GetJsonAsync("apis/example.com/v1");
        var indexAfter = await GetJsonAsync("openapi/v3");
        var document = await GetJsonAsync(((string)indexAfter["paths"]!["apis/example.com/v1"]!["serverRelativeURL"]!).TrimStart('/'));
        using var v2 = await http.GetAsync("openapi/v2");

        var names = resources["resources"]!.AsArray().Select(r => (string?)r!["name"]).ToList();
        Assert.Equal(["widgets", "widgets/status"], names);
        Assert.Equal("wd", (string?)resources["resources"]![0]!["shortNames"]![0]);
        Assert.NotEqual((string?)indexBefore["paths"]!["api/v1"]!["serverRelativeURL"], (string?)indexAfter["paths"]!["api/v1"]!["serverRelativeURL"]);
        var patch = document["paths"]!["/apis/example.com/v1/namespaces/{namespace}/widgets/{name}"]!["patch"]!;
        Assert.Contains(patch["parameters"]!.AsArray(), p => (string?)p!["name"] == "fieldValidation");
        Assert.Equal(HttpStatusCode.NotFound, v2.StatusCode);
    }

    [Fact]
    public async Task UnknownPathAndMethod_AnswerWithStatusObjects()
    {
        using var unknown = await http.GetAsync("apis/nothing.example.com/v1/things");
        using var method = await http.PostAsync("api/v1/namespaces/default/configmaps/x", new StringContent("{}", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("the server could not find the requested resource", (string?)JsonNode.Parse(await unknown.Content.ReadAsStringAsync())!["message"]);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, method.StatusCode);
        Assert.Equal("MethodNotAllowed", (string?)JsonNode.Parse(await method.Content.ReadAsStringAsync())!["reason"]);
    }

    [Fact]
    public async Task TableWatch_SendsColumnDefinitionsOnlyInTheFirstEvent()
    {
        await Client.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new() { Name = "a" } }, "default");
        await Client.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new() { Name = "b" } }, "default");
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/v1/namespaces/default/configmaps?watch=true&timeoutSeconds=1");
        request.Headers.TryAddWithoutValidation("Accept", "application/json;as=Table;v=v1;g=meta.k8s.io,application/json");

        using var response = await http.SendAsync(request);
        var lines = (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!).ToList();

        Assert.Equal(2, lines.Count);
        Assert.All(lines, l => Assert.Equal("Table", (string?)l["object"]!["kind"]));
        Assert.Equal(["Name", "Age"], lines[0]["object"]!["columnDefinitions"]!.AsArray().Select(c => (string?)c!["name"]));
        Assert.Null(lines[1]["object"]!["columnDefinitions"]);
        Assert.Equal("PartialObjectMetadata", (string?)lines[1]["object"]!["rows"]![0]!["object"]!["kind"]);
    }

    [Fact]
    public async Task JsonPatch_AppliesOperations_AndAFailedTestIs422()
    {
        await Client.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new() { Name = "cfg" }, Data = new Dictionary<string, string> { ["a"] = "1" } }, "default");

        var patched = await Client.PatchNamespacedConfigMapAsync(
            new V1Patch("""[{"op":"test","path":"/data/a","value":"1"},{"op":"add","path":"/data/b","value":"2"},{"op":"remove","path":"/data/a"}]""", V1Patch.PatchType.JsonPatch),
            "cfg", "default");
        var failed = await Assert.ThrowsAsync<k8s.Autorest.HttpOperationException>(() => Client.PatchNamespacedConfigMapAsync(
            new V1Patch("""[{"op":"test","path":"/data/b","value":"9"}]""", V1Patch.PatchType.JsonPatch), "cfg", "default"));

        Assert.Equal(new Dictionary<string, string> { ["b"] = "2" }, patched.Data);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, failed.Response.StatusCode);
    }

    [Fact]
    public async Task EventFieldSelectors_FindEventsOfOneObject()
    {
        foreach (var (name, target) in new[] { ("e1", "alpha"), ("e2", "beta") })
        {
            await Client.CreateNamespacedEventAsync(new Corev1Event
            {
                Metadata = new() { Name = name },
                InvolvedObject = new() { Kind = "Widget", Name = target, NamespaceProperty = "default", Uid = target + "-uid" },
                Reason = "Seen",
                Message = "m",
            }, "default");
        }

        var found = await Client.CoreV1.ListNamespacedEventAsync("default", fieldSelector: "involvedObject.kind=Widget,involvedObject.name=beta,involvedObject.uid=beta-uid");
        var viaNewApi = await Client.EventsV1.ListNamespacedEventAsync("default");

        var only = Assert.Single(found.Items);
        Assert.Equal("e2", only.Metadata.Name);
        Assert.Equal(1, only.Count);
        Assert.NotNull(only.FirstTimestamp);
        Assert.Equal(["alpha", "beta"], viaNewApi.Items.Select(e => e.Regarding.Name));
    }

    [Fact]
    public async Task PodLog_ServesTheRegisteredLogFile()
    {
        await Client.CreateNamespacedPodAsync(new V1Pod
        {
            Metadata = new() { Name = "runner" },
            Spec = new() { Containers = [new() { Name = "main", Image = "runner" }] },
        }, "default");
        var file = Path.GetTempFileName();
        await File.WriteAllTextAsync(file, "imported 3 calls\n");
        Plane.PodLogs.Register("default", "runner", file);

        try
        {
            using var stream = await Client.ReadNamespacedPodLogAsync("runner", "default");
            using var reader = new StreamReader(stream);

            Assert.Equal("imported 3 calls\n", await reader.ReadToEndAsync());
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task DeletingADefinition_StopsServingItsKindAndRemovesItsObjects()
    {
        await CreateWidgetDefinitionAsync();
        var widget = new JsonObject
        {
            ["apiVersion"] = "example.com/v1", ["kind"] = "Widget", ["metadata"] = new JsonObject { ["name"] = "w" }, ["spec"] = new JsonObject(),
        };
        await Client.CreateNamespacedCustomObjectAsync(widget, TestManifests.Group, "v1", "default", TestManifests.Plural);

        await Client.DeleteCustomResourceDefinitionAsync("widgets.example.com");
        using var gone = await http.GetAsync("apis/example.com/v1/namespaces/default/widgets");
        await CreateWidgetDefinitionAsync();
        var again = JsonNode.Parse(await http.GetStringAsync("apis/example.com/v1/namespaces/default/widgets"))!;

        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        Assert.Empty(again["items"]!.AsArray());
    }

    [Fact]
    public async Task LeasePostWithoutKind_IsStoredWithKindAndApiVersion()
    {
        var body = """{"metadata":{"name":"lock","namespace":"default"},"spec":{"holderIdentity":"me-1","leaseDurationSeconds":15}}""";

        using var created = await http.PostAsync("apis/coordination.k8s.io/v1/namespaces/default/leases", new StringContent(body, Encoding.UTF8, "application/json"));
        var stored = await GetJsonAsync("apis/coordination.k8s.io/v1/namespaces/default/leases/lock");

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(("Lease", "coordination.k8s.io/v1", "me-1"), ((string?)stored["kind"], (string?)stored["apiVersion"], (string?)stored["spec"]!["holderIdentity"]));
    }

    [Fact]
    public async Task DeleteCollection_RemovesOnlySelectedObjects()
    {
        foreach (var (name, app) in new[] { ("a", "x"), ("b", "x"), ("c", "y") })
        {
            await Client.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new() { Name = name, Labels = new Dictionary<string, string> { ["app"] = app } } }, "default");
        }

        await Client.DeleteCollectionNamespacedConfigMapAsync("default", labelSelector: "app=x");

        Assert.Equal(["c"], (await Client.ListNamespacedConfigMapAsync("default")).Items.Select(c => c.Metadata.Name));
    }

    private async Task<JsonNode> GetJsonAsync(string path) => JsonNode.Parse(await http.GetStringAsync(path))!;
}
