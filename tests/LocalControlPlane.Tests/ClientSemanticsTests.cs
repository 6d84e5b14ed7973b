using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace CallImport.LocalControlPlane.Tests;

public sealed class ClientSemanticsTests : PlaneTest
{
    [Fact]
    public async Task UpdateWithStaleResourceVersion_Gets409Conflict()
    {
        var created = await Client.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new() { Name = "settings" }, Data = new Dictionary<string, string> { ["a"] = "1" } }, "default");
        created.Data["a"] = "2";
        await Client.ReplaceNamespacedConfigMapAsync(created, "settings", "default");

        created.Data["a"] = "3";
        var error = await Assert.ThrowsAsync<HttpOperationException>(() => Client.ReplaceNamespacedConfigMapAsync(created, "settings", "default"));

        Assert.Equal(HttpStatusCode.Conflict, error.Response.StatusCode);
        var status = JsonNode.Parse(error.Response.Content)!;
        Assert.Equal("Conflict", (string?)status["reason"]);
        Assert.Equal("configmaps", (string?)status["details"]!["kind"]);
        Assert.StartsWith("Operation cannot be fulfilled on configmaps \"settings\"", (string?)status["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateDuplicate_GetsAlreadyExists_AndMissingNamespaceGetsNotFound()
    {
        await Client.CreateNamespacedSecretAsync(new V1Secret { Metadata = new() { Name = "token" }, StringData = new Dictionary<string, string> { ["k"] = "v" } }, "default");

        var duplicate = await Assert.ThrowsAsync<HttpOperationException>(() =>
            Client.CreateNamespacedSecretAsync(new V1Secret { Metadata = new() { Name = "token" } }, "default"));
        var noNamespace = await Assert.ThrowsAsync<HttpOperationException>(() =>
            Client.CreateNamespacedSecretAsync(new V1Secret { Metadata = new() { Name = "token" } }, "absent"));

        Assert.Equal(HttpStatusCode.Conflict, duplicate.Response.StatusCode);
        Assert.Equal("secrets \"token\" already exists", (string?)JsonNode.Parse(duplicate.Response.Content)!["message"]);
        Assert.Equal(HttpStatusCode.NotFound, noNamespace.Response.StatusCode);
        Assert.Equal("namespaces \"absent\" not found", (string?)JsonNode.Parse(noNamespace.Response.Content)!["message"]);
        var stored = await Client.ReadNamespacedSecretAsync("token", "default");
        Assert.Equal("v", System.Text.Encoding.UTF8.GetString(stored.Data["k"]));
    }

    [Fact]
    public async Task WatchWithLabelSelector_SeesObjectsEnterAndLeave()
    {
        await Client.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new() { Name = "x", Labels = new Dictionary<string, string> { ["app"] = "a" } } }, "default");
        var enumerator = Client.CoreV1.WatchListNamespacedConfigMapAsync("default", labelSelector: "app in (a)", timeoutSeconds: 30).GetAsyncEnumerator();
        Assert.True(await enumerator.MoveNextAsync());
        Assert.Equal(WatchEventType.Added, enumerator.Current.Item1);

        var relabel = new V1Patch("""{"metadata":{"labels":{"app":"b"}}}""", V1Patch.PatchType.StrategicMergePatch);
        await Client.PatchNamespacedConfigMapAsync(relabel, "x", "default");
        Assert.True(await enumerator.MoveNextAsync());
        Assert.Equal(WatchEventType.Deleted, enumerator.Current.Item1);

        var back = new V1Patch("""{"metadata":{"labels":{"app":"a"}}}""", V1Patch.PatchType.MergePatch);
        await Client.PatchNamespacedConfigMapAsync(back, "x", "default");
        Assert.True(await enumerator.MoveNextAsync());
        Assert.Equal(WatchEventType.Added, enumerator.Current.Item1);
        await enumerator.DisposeAsync();
    }

    [Fact]
    public async Task ListWithLimit_PagesThroughContinueTokens()
    {
        for (var i = 0; i < 5; i++)
        {
            await Client.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new() { Name = $"page-{i}" } }, "default");
        }
        var names = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = await Client.ListNamespacedConfigMapAsync("default", limit: 2, continueParameter: token);
            names.AddRange(page.Items.Select(c => c.Metadata.Name));
            token = page.Metadata.ContinueProperty;
            pages++;
        }
        while (!string.IsNullOrEmpty(token));

        Assert.Equal(3, pages);
        Assert.Equal(["page-0", "page-1", "page-2", "page-3", "page-4"], names);
    }

    [Fact]
    public async Task LeaseRenewal_WithStaleVersionGets409_AndCreateWithoutKindWorks()
    {
        var lease = new V1Lease
        {
            Metadata = new() { Name = "leader", NamespaceProperty = "default" },
            Spec = new() { HolderIdentity = "me-1", LeaseDurationSeconds = 15, AcquireTime = DateTime.UtcNow, RenewTime = DateTime.UtcNow, LeaseTransitions = 0 },
        };
        var created = await Client.CreateNamespacedLeaseAsync(lease, "default");
        created.Spec.RenewTime = DateTime.UtcNow;
        var renewed = await Client.ReplaceNamespacedLeaseAsync(created, "leader", "default");

        created.Spec.HolderIdentity = "me-2";
        var stale = await Assert.ThrowsAsync<HttpOperationException>(() => Client.ReplaceNamespacedLeaseAsync(created, "leader", "default"));
        var duplicate = await Assert.ThrowsAsync<HttpOperationException>(() => Client.CreateNamespacedLeaseAsync(lease, "default"));

        Assert.NotEqual(created.Metadata.ResourceVersion, renewed.Metadata.ResourceVersion);
        Assert.Equal(HttpStatusCode.Conflict, stale.Response.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, duplicate.Response.StatusCode);
        Assert.Equal("me-1", (await Client.ReadNamespacedLeaseAsync("leader", "default")).Spec.HolderIdentity);
    }

    [Fact]
    public async Task StatusSubresource_SplitsWrites_AndGenerationFollowsSpecOnly()
    {
        await CreateWidgetDefinitionAsync();
        var widget = new JsonObject
        {
            ["apiVersion"] = "example.com/v1", ["kind"] = "Widget",
            ["metadata"] = new JsonObject { ["name"] = "alpha" },
            ["spec"] = new JsonObject { ["color"] = "blue" },
            ["status"] = new JsonObject { ["phase"] = "ignored" },
        };
        var created = Parse(await Client.CreateNamespacedCustomObjectAsync(widget, TestManifests.Group, "v1", "default", TestManifests.Plural));
        var status = new V1Patch("""{"status":{"phase":"Ready"},"spec":{"color":"ignored"}}""", V1Patch.PatchType.MergePatch);
        var afterStatus = Parse(await Client.PatchNamespacedCustomObjectStatusAsync(status, TestManifests.Group, "v1", "default", TestManifests.Plural, "alpha"));
        var label = new V1Patch("""{"metadata":{"labels":{"x":"y"}},"status":{"phase":"ignored"}}""", V1Patch.PatchType.MergePatch);
        var afterLabel = Parse(await Client.PatchNamespacedCustomObjectAsync(label, TestManifests.Group, "v1", "default", TestManifests.Plural, "alpha"));
        var spec = new V1Patch("""{"spec":{"color":"red"}}""", V1Patch.PatchType.MergePatch);
        var afterSpec = Parse(await Client.PatchNamespacedCustomObjectAsync(spec, TestManifests.Group, "v1", "default", TestManifests.Plural, "alpha"));

        Assert.Null(created["status"]);
        Assert.Equal(1, (int)created["metadata"]!["generation"]!);
        Assert.Equal(("Ready", "blue", 1), ((string?)afterStatus["status"]!["phase"], (string?)afterStatus["spec"]!["color"], (int)afterStatus["metadata"]!["generation"]!));
        Assert.Equal(("Ready", 1), ((string?)afterLabel["status"]!["phase"], (int)afterLabel["metadata"]!["generation"]!));
        Assert.Equal(("red", 2), ((string?)afterSpec["spec"]!["color"], (int)afterSpec["metadata"]!["generation"]!));
    }

    [Fact]
    public async Task CustomObjectWatch_SeesAddedThenModifiedForAStatusWrite()
    {
        await CreateWidgetDefinitionAsync();
        var widget = new JsonObject
        {
            ["apiVersion"] = "example.com/v1", ["kind"] = "Widget", ["metadata"] = new JsonObject { ["name"] = "alpha" }, ["spec"] = new JsonObject { ["color"] = "blue" },
        };
        await Client.CreateNamespacedCustomObjectAsync(widget, TestManifests.Group, "v1", "default", TestManifests.Plural);
        var enumerator = Client.CustomObjects.WatchListNamespacedCustomObjectAsync(TestManifests.Group, "v1", "default", TestManifests.Plural, timeoutSeconds: 30)
            .GetAsyncEnumerator();
        Assert.True(await enumerator.MoveNextAsync());
        Assert.Equal(WatchEventType.Added, enumerator.Current.Item1);

        var status = new V1Patch("""{"status":{"phase":"Ready"}}""", V1Patch.PatchType.MergePatch);
        await Client.PatchNamespacedCustomObjectStatusAsync(status, TestManifests.Group, "v1", "default", TestManifests.Plural, "alpha");

        Assert.True(await enumerator.MoveNextAsync());
        Assert.Equal(WatchEventType.Modified, enumerator.Current.Item1);
        Assert.Equal("Ready", (string?)Parse(enumerator.Current.Item2)["status"]!["phase"]);
        await enumerator.DisposeAsync();
    }

    [Fact]
    public async Task StatusPatchCarryingAStaleResourceVersion_Gets409()
    {
        await CreateWidgetDefinitionAsync();
        var widget = new JsonObject
        {
            ["apiVersion"] = "example.com/v1", ["kind"] = "Widget", ["metadata"] = new JsonObject { ["name"] = "alpha" }, ["spec"] = new JsonObject { ["color"] = "blue" },
        };
        var created = Parse(await Client.CreateNamespacedCustomObjectAsync(widget, TestManifests.Group, "v1", "default", TestManifests.Plural));
        var seen = (string?)created["metadata"]!["resourceVersion"];
        await Client.PatchNamespacedCustomObjectAsync(new V1Patch("""{"spec":{"color":"red"}}""", V1Patch.PatchType.MergePatch), TestManifests.Group, "v1", "default", TestManifests.Plural, "alpha");

        var body = new JsonObject { ["metadata"] = new JsonObject { ["resourceVersion"] = seen }, ["status"] = new JsonObject { ["phase"] = "Ready" } };
        var stale = new V1Patch(body.ToJsonString(), V1Patch.PatchType.MergePatch);
        var error = await Assert.ThrowsAsync<HttpOperationException>(() =>
            Client.PatchNamespacedCustomObjectStatusAsync(stale, TestManifests.Group, "v1", "default", TestManifests.Plural, "alpha"));

        Assert.Equal(HttpStatusCode.Conflict, error.Response.StatusCode);
        Assert.Equal("widgets", (string?)JsonNode.Parse(error.Response.Content)!["details"]!["kind"]);
    }

    [Fact]
    public async Task CustomResource_PutWithoutVersionIs422_AndStrategicMergeIs415()
    {
        await CreateWidgetDefinitionAsync();
        var widget = new JsonObject
        {
            ["apiVersion"] = "example.com/v1", ["kind"] = "Widget",
            ["metadata"] = new JsonObject { ["name"] = "alpha" }, ["spec"] = new JsonObject { ["color"] = "blue" },
        };
        await Client.CreateNamespacedCustomObjectAsync(widget, TestManifests.Group, "v1", "default", TestManifests.Plural);

        var put = await Assert.ThrowsAsync<HttpOperationException>(() =>
            Client.ReplaceNamespacedCustomObjectAsync(widget, TestManifests.Group, "v1", "default", TestManifests.Plural, "alpha"));
        var strategic = await Assert.ThrowsAsync<HttpOperationException>(() =>
            Client.PatchNamespacedCustomObjectAsync(new V1Patch("{}", V1Patch.PatchType.StrategicMergePatch), TestManifests.Group, "v1", "default", TestManifests.Plural, "alpha"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, put.Response.StatusCode);
        Assert.Equal("Widget.example.com \"alpha\" is invalid: metadata.resourceVersion: Invalid value: 0x0: must be specified for an update",
            (string?)JsonNode.Parse(put.Response.Content)!["message"]);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, strategic.Response.StatusCode);
    }

    [Fact]
    public async Task JobCreate_FillsDefaults_AndDeleteWithoutPolicyOrphansWithAWarning()
    {
        var job = new V1Job
        {
            Metadata = new() { Name = "import" },
            Spec = new()
            {
                Template = new() { Spec = new() { RestartPolicy = "Never", Containers = [new() { Name = "runner", Image = "runner:1" }] } },
            },
        };
        var created = await Client.CreateNamespacedJobAsync(job, "default");
        await Client.CreateNamespacedPodAsync(new V1Pod
        {
            Metadata = new()
            {
                Name = "import-abcde",
                Labels = created.Spec.Template.Metadata.Labels,
                OwnerReferences = [new() { ApiVersion = "batch/v1", Kind = "Job", Name = "import", Uid = created.Metadata.Uid, Controller = true, BlockOwnerDeletion = true }],
            },
            Spec = new() { RestartPolicy = "Never", Containers = [new() { Name = "runner", Image = "runner:1" }] },
        }, "default");

        using var http = new HttpClient { BaseAddress = Plane.Url };
        using var delete = await http.DeleteAsync("apis/batch/v1/namespaces/default/jobs/import");

        Assert.Equal((6, 1, 1), (created.Spec.BackoffLimit, created.Spec.Completions, created.Spec.Parallelism));
        Assert.Equal(created.Metadata.Uid, created.Spec.Selector.MatchLabels["batch.kubernetes.io/controller-uid"]);
        Assert.Equal("import", created.Spec.Template.Metadata.Labels["batch.kubernetes.io/job-name"]);
        Assert.Contains(delete.Headers.GetValues("Warning"), w => w.Contains("child pods are preserved by default", StringComparison.Ordinal));
        await EventuallyAsync(async () => (await Client.ListNamespacedJobAsync("default")).Items.Count == 0, "the job to go");
        var pod = await Client.ReadNamespacedPodAsync("import-abcde", "default");
        Assert.Null(pod.Metadata.OwnerReferences);
    }

    [Fact]
    public async Task JobWithRestartPolicyAlways_IsRefusedWith422()
    {
        var job = new V1Job
        {
            Metadata = new() { Name = "bad" },
            Spec = new() { Template = new() { Spec = new() { RestartPolicy = "Always", Containers = [new() { Name = "c", Image = "i" }] } } },
        };

        var error = await Assert.ThrowsAsync<HttpOperationException>(() => Client.CreateNamespacedJobAsync(job, "default"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, error.Response.StatusCode);
        Assert.Equal("Job.batch \"bad\" is invalid: spec.template.spec.restartPolicy: Unsupported value: \"Always\": supported values: \"OnFailure\", \"Never\"",
            (string?)JsonNode.Parse(error.Response.Content)!["message"]);
    }

    [Fact]
    public async Task CreateWithInvalidName_Is422WithTheRfc1123Rule()
    {
        var error = await Assert.ThrowsAsync<HttpOperationException>(() =>
            Client.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new() { Name = "Bad_Name" } }, "default"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, error.Response.StatusCode);
        Assert.StartsWith("ConfigMap \"Bad_Name\" is invalid: metadata.name: Invalid value: \"Bad_Name\": a lowercase RFC 1123 subdomain",
            (string?)JsonNode.Parse(error.Response.Content)!["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task GenerateName_GetsARandomSuffix()
    {
        var created = await Client.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new() { GenerateName = "run-" } }, "default");

        Assert.Matches("^run-[a-z0-9]{5}$", created.Metadata.Name);
        Assert.Equal(created.Metadata.Uid, (await Client.ReadNamespacedConfigMapAsync(created.Metadata.Name, "default")).Metadata.Uid);
    }

    private static JsonObject Parse(object element) => JsonNode.Parse(((JsonElement)element).GetRawText())!.AsObject();
}
