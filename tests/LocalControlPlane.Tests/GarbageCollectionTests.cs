using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace CallImport.LocalControlPlane.Tests;

public sealed class GarbageCollectionTests : PlaneTest
{
    [Fact]
    public async Task BackgroundDeletionOfOwner_RemovesItsDependents()
    {
        var owner = await CreateOwnerAsync();
        await CreateDependentAsync("child-a", owner, blockOwnerDeletion: false);
        await CreateDependentAsync("child-b", owner, blockOwnerDeletion: false);
        await Client.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new() { Name = "unrelated" } }, "default");

        await Client.DeleteNamespacedSecretAsync("owner", "default", propagationPolicy: "Background");

        await EventuallyAsync(async () => (await Client.ListNamespacedConfigMapAsync("default")).Items.Count == 1, "dependents to be collected");
        Assert.Equal("unrelated", (await Client.ListNamespacedConfigMapAsync("default")).Items.Single().Metadata.Name);
    }

    [Fact]
    public async Task ForegroundDeletion_RemovesDependentsBeforeTheOwner()
    {
        var owner = await CreateOwnerAsync();
        await CreateDependentAsync("child", owner, blockOwnerDeletion: true);
        await Client.PatchNamespacedConfigMapAsync(new V1Patch("""{"metadata":{"finalizers":["example.com/hold"]}}""", V1Patch.PatchType.MergePatch), "child", "default");

        await Client.DeleteNamespacedSecretAsync("owner", "default", propagationPolicy: "Foreground");

        await EventuallyAsync(async () => (await Client.ReadNamespacedConfigMapAsync("child", "default")).Metadata.DeletionTimestamp is not null, "the dependent to be deleting");
        var waiting = await Client.ReadNamespacedSecretAsync("owner", "default");
        Assert.Contains("foregroundDeletion", waiting.Metadata.Finalizers);
        Assert.NotNull(waiting.Metadata.DeletionTimestamp);

        await Client.PatchNamespacedConfigMapAsync(new V1Patch("""{"metadata":{"finalizers":null}}""", V1Patch.PatchType.MergePatch), "child", "default");

        await EventuallyAsync(async () => !await ExistsAsync("owner"), "the owner to go after its dependent");
    }

    [Fact]
    public async Task OrphanDeletion_KeepsDependentsAndStripsTheirOwnerReference()
    {
        var owner = await CreateOwnerAsync();
        await CreateDependentAsync("child", owner, blockOwnerDeletion: false);

        await Client.DeleteNamespacedSecretAsync("owner", "default", propagationPolicy: "Orphan");

        await EventuallyAsync(async () => !await ExistsAsync("owner"), "the owner to go");
        var child = await Client.ReadNamespacedConfigMapAsync("child", "default");
        Assert.Null(child.Metadata.OwnerReferences);
    }

    [Fact]
    public async Task DependentCreatedWithAMissingOwner_IsCollected()
    {
        await Client.CreateNamespacedConfigMapAsync(new V1ConfigMap
        {
            Metadata = new()
            {
                Name = "dangling",
                OwnerReferences = [new() { ApiVersion = "v1", Kind = "Secret", Name = "gone", Uid = Guid.NewGuid().ToString() }],
            },
        }, "default");

        await EventuallyAsync(async () => (await Client.ListNamespacedConfigMapAsync("default")).Items.Count == 0, "the dangling dependent to be collected");
    }

    [Theory]
    [InlineData("ADDED", false, false)]
    [InlineData("MODIFIED", false, false)]
    [InlineData("MODIFIED", true, true)]
    [InlineData("ADDED", true, true)]
    [InlineData("DELETED", false, true)]
    [InlineData("DELETED", true, true)]
    public void OnlyADeletionWakesTheCollector(string type, bool beingDeleted, bool wakes)
    {
        var item = new System.Text.Json.Nodes.JsonObject
        {
            ["metadata"] = beingDeleted
                ? new System.Text.Json.Nodes.JsonObject { ["name"] = "x", ["deletionTimestamp"] = "2026-01-01T00:00:00Z" }
                : new System.Text.Json.Nodes.JsonObject { ["name"] = "x" },
        };
        Assert.Equal(wakes, Deletion.GarbageCollector.GivesWork(new Storage.WatchEvent(1, "configmaps", type, item, null)));
    }

    private async Task<V1Secret> CreateOwnerAsync() =>
        await Client.CreateNamespacedSecretAsync(new V1Secret { Metadata = new() { Name = "owner" } }, "default");

    private async Task CreateDependentAsync(string name, V1Secret owner, bool blockOwnerDeletion) =>
        await Client.CreateNamespacedConfigMapAsync(new V1ConfigMap
        {
            Metadata = new()
            {
                Name = name,
                OwnerReferences = [new() { ApiVersion = "v1", Kind = "Secret", Name = owner.Metadata.Name, Uid = owner.Metadata.Uid, BlockOwnerDeletion = blockOwnerDeletion }],
            },
        }, "default");

    private async Task<bool> ExistsAsync(string secret)
    {
        try
        {
            await Client.ReadNamespacedSecretAsync(secret, "default");
            return true;
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    }
}
