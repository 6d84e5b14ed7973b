using System.Text.Json;
using k8s;
using k8s.Models;

namespace CallImport.LocalControlPlane.Tests;

public sealed class KubectlWatchAndDeleteTests : PlaneTest
{
    [SkippableFact]
    public async Task GetWatch_PrintsAChangeMadeThroughTheClient()
    {
        Kubectl.SkipWhenAbsent();
        (await Kubectl.ApplyAsync(TestManifests.WidgetDefinition)).EnsureSuccess();
        (await Kubectl.ApplyAsync(TestManifests.Widget("alpha", "blue", 3))).EnsureSuccess();
        var watch = Kubectl.Stream("get", "widgets", "-w");
        await watch.WaitForLineAsync(l => l.StartsWith("alpha", StringComparison.Ordinal));

        var patch = new V1Patch("""{"spec":{"color":"green"}}""", V1Patch.PatchType.MergePatch);
        await Client.PatchNamespacedCustomObjectAsync(patch, TestManifests.Group, "v1", "default", TestManifests.Plural, "alpha");

        var changed = await watch.WaitForLineAsync(l => l.Contains("green", StringComparison.Ordinal));
        Assert.StartsWith("alpha", changed, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Delete_WaitsForTheFinalizer_AndFinishesOnceTheClientRemovesIt()
    {
        Kubectl.SkipWhenAbsent();
        (await Kubectl.ApplyAsync(TestManifests.WidgetDefinition)).EnsureSuccess();
        (await Kubectl.ApplyAsync(TestManifests.Widget("alpha", "blue", 3))).EnsureSuccess();
        var add = new V1Patch("""{"metadata":{"finalizers":["example.com/cleanup"]}}""", V1Patch.PatchType.MergePatch);
        await Client.PatchNamespacedCustomObjectAsync(add, TestManifests.Group, "v1", "default", TestManifests.Plural, "alpha");

        var delete = Kubectl.Stream("delete", "widget", "alpha", "--timeout=60s");
        await delete.WaitForLineAsync(l => l.Contains("deleted", StringComparison.Ordinal));
        var pending = (JsonElement)await Client.GetNamespacedCustomObjectAsync(TestManifests.Group, "v1", "default", TestManifests.Plural, "alpha");
        Assert.True(pending.GetProperty("metadata").TryGetProperty("deletionTimestamp", out _));
        Assert.False(delete.HasExited, "kubectl delete returned while the finalizer was still there");

        var remove = new V1Patch("""{"metadata":{"finalizers":null}}""", V1Patch.PatchType.MergePatch);
        await Client.PatchNamespacedCustomObjectAsync(remove, TestManifests.Group, "v1", "default", TestManifests.Plural, "alpha");

        Assert.Equal(0, await delete.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        var gone = await Assert.ThrowsAsync<k8s.Autorest.HttpOperationException>(() =>
            Client.GetNamespacedCustomObjectAsync(TestManifests.Group, "v1", "default", TestManifests.Plural, "alpha"));
        Assert.Equal(System.Net.HttpStatusCode.NotFound, gone.Response.StatusCode);
    }

    [SkippableFact]
    public async Task LabelAndFieldSelectors_FilterGet()
    {
        Kubectl.SkipWhenAbsent();
        (await Kubectl.ApplyAsync(TestManifests.WidgetDefinition)).EnsureSuccess();
        (await Kubectl.ApplyAsync(TestManifests.Widget("alpha", "blue", 3, "tier: web"))).EnsureSuccess();
        (await Kubectl.ApplyAsync(TestManifests.Widget("beta", "red", 5, "tier: db"))).EnsureSuccess();

        var byColor = (await Kubectl.RunAsync("get", "widgets", "--field-selector", "spec.color=red", "-o", "name")).EnsureSuccess().Stdout;
        var byLabel = (await Kubectl.RunAsync("get", "widgets", "-l", "tier!=db", "-o", "name")).EnsureSuccess().Stdout;
        var unsupported = await Kubectl.RunAsync("get", "widgets", "--field-selector", "spec.size=5");

        Assert.Equal("widget.example.com/beta", byColor.Trim());
        Assert.Equal("widget.example.com/alpha", byLabel.Trim());
        Assert.NotEqual(0, unsupported.ExitCode);
        Assert.Contains("field label not supported: spec.size", unsupported.Stderr, StringComparison.Ordinal);
    }
}
