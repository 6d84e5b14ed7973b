using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;

namespace CallImport.LocalControlPlane.Tests;

public sealed class KubectlApplyTests : PlaneTest
{
    [SkippableFact]
    public async Task ApplyDefinitionThenResource_GetPrintsDeclaredColumns()
    {
        Kubectl.SkipWhenAbsent();
        (await Kubectl.ApplyAsync(TestManifests.WidgetDefinition)).EnsureSuccess();
        (await Kubectl.ApplyAsync(TestManifests.Widget("alpha", "blue", 3))).EnsureSuccess();

        var table = (await Kubectl.RunAsync("get", "wd")).EnsureSuccess().Stdout;
        var lines = table.Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(["NAME", "COLOR", "SIZE", "AGE"], lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        var row = lines[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["alpha", "blue", "3"], row[..3]);
        Assert.Matches("^[0-9]+s$", row[3]);
    }

    [SkippableFact]
    public async Task GetWide_ShowsPriorityColumnFilledFromStatus()
    {
        Kubectl.SkipWhenAbsent();
        (await Kubectl.ApplyAsync(TestManifests.WidgetDefinition)).EnsureSuccess();
        (await Kubectl.ApplyAsync(TestManifests.Widget("alpha", "blue", 3))).EnsureSuccess();
        (await Kubectl.RunAsync("patch", "widget", "alpha", "--subresource=status", "--type=merge", "-p", """{"status":{"phase":"Ready"}}""")).EnsureSuccess();

        var wide = (await Kubectl.RunAsync("get", "widgets", "-o", "wide")).EnsureSuccess().Stdout;

        Assert.Contains("PHASE", wide, StringComparison.Ordinal);
        Assert.Contains("Ready", wide, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task ClientSideApplyTwice_SecondIsUnchangedAndAChangeIsConfigured()
    {
        Kubectl.SkipWhenAbsent();
        (await Kubectl.ApplyAsync(TestManifests.WidgetDefinition)).EnsureSuccess();
        var manifest = TestManifests.Widget("alpha", "blue", 3);

        var first = (await Kubectl.ApplyAsync(manifest)).EnsureSuccess().Stdout;
        var second = (await Kubectl.ApplyAsync(manifest)).EnsureSuccess().Stdout;
        var third = (await Kubectl.ApplyAsync(TestManifests.Widget("alpha", "blue", 4))).EnsureSuccess().Stdout;

        Assert.Contains("widget.example.com/alpha created", first, StringComparison.Ordinal);
        Assert.Contains("widget.example.com/alpha unchanged", second, StringComparison.Ordinal);
        Assert.Contains("widget.example.com/alpha configured", third, StringComparison.Ordinal);
        var live = await GetWidgetAsync("alpha");
        Assert.Equal(4, (int)live["spec"]!["size"]!);
        Assert.Equal(2, (int)live["metadata"]!["generation"]!);
    }

    [SkippableFact]
    public async Task ServerSideApplyTwice_KeepsTheObjectAndDropsFieldsNoLongerApplied()
    {
        Kubectl.SkipWhenAbsent();
        (await Kubectl.ApplyAsync(TestManifests.WidgetDefinition, "--server-side")).EnsureSuccess();
        var withExtra = TestManifests.Widget("alpha", "blue", 3) + "\n  shape: round\n";

        var first = (await Kubectl.ApplyAsync(withExtra, "--server-side")).EnsureSuccess().Stdout;
        var version = (string?)(await GetWidgetAsync("alpha"))["metadata"]!["resourceVersion"];
        var again = (await Kubectl.ApplyAsync(withExtra, "--server-side")).EnsureSuccess().Stdout;
        var unchangedVersion = (string?)(await GetWidgetAsync("alpha"))["metadata"]!["resourceVersion"];
        (await Kubectl.ApplyAsync(TestManifests.Widget("alpha", "red", 3), "--server-side")).EnsureSuccess();

        Assert.Contains("serverside-applied", first, StringComparison.Ordinal);
        Assert.Contains("serverside-applied", again, StringComparison.Ordinal);
        Assert.Equal(version, unchangedVersion);
        var live = await GetWidgetAsync("alpha");
        Assert.Equal("red", (string?)live["spec"]!["color"]);
        Assert.Null(live["spec"]!["shape"]);
    }

    [SkippableFact]
    public async Task Describe_ShowsEventsWrittenThroughBothEventApis()
    {
        Kubectl.SkipWhenAbsent();
        (await Kubectl.ApplyAsync(TestManifests.WidgetDefinition)).EnsureSuccess();
        (await Kubectl.ApplyAsync(TestManifests.Widget("alpha", "blue", 3))).EnsureSuccess();
        var widget = await GetWidgetAsync("alpha");
        var reference = new k8s.Models.V1ObjectReference
        {
            ApiVersion = "example.com/v1", Kind = "Widget", Name = "alpha", NamespaceProperty = "default", Uid = (string?)widget["metadata"]!["uid"],
        };
        await Client.CreateNamespacedEventAsync(new k8s.Models.Corev1Event
        {
            Metadata = new() { Name = "alpha.core" },
            InvolvedObject = reference,
            Reason = "Started",
            Message = "written through core v1",
            Type = "Normal",
            Source = new() { Component = "widget-operator" },
        }, "default");
        await Client.EventsV1.CreateNamespacedEventAsync(new k8s.Models.Eventsv1Event
        {
            Metadata = new() { Name = "alpha.new" },
            Regarding = reference,
            Reason = "Progressing",
            Note = "written through events.k8s.io",
            Type = "Warning",
            Action = "Reconcile",
            EventTime = DateTime.UtcNow,
            ReportingController = "widget-operator",
            ReportingInstance = "widget-operator-0",
        }, "default");

        var description = (await Kubectl.RunAsync("describe", "widget", "alpha")).EnsureSuccess().Stdout;
        var events = (await Kubectl.RunAsync("get", "events")).EnsureSuccess().Stdout;

        Assert.Matches(@"LAST SEEN\s+TYPE\s+REASON\s+OBJECT\s+MESSAGE", events);
        Assert.Matches(@"Normal\s+Started\s+widget/alpha\s+written through core v1", events);
        Assert.Contains("written through core v1", description, StringComparison.Ordinal);
        Assert.Contains("written through events.k8s.io", description, StringComparison.Ordinal);
        Assert.Matches(@"Warning\s+Progressing\s+\S+\s+widget-operator", description);
    }

    private async Task<JsonObject> GetWidgetAsync(string name)
    {
        var element = (JsonElement)await Client.GetNamespacedCustomObjectAsync(TestManifests.Group, "v1", "default", TestManifests.Plural, name);
        return JsonNode.Parse(element.GetRawText())!.AsObject();
    }
}
