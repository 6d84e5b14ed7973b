using System.Text.Json.Nodes;
using CallImport.LocalControlPlane.Resources;

namespace CallImport.LocalControlPlane.Discovery;

/// <summary>Legacy (unaggregated) discovery: kubectl fetches /api, /apis, then each group version.</summary>
public static class DiscoveryDocuments
{
    public static JsonObject Version() => new()
    {
        ["major"] = "1",
        ["minor"] = "32",
        ["gitVersion"] = "v1.32.0",
        ["gitCommit"] = "local-control-plane",
        ["gitTreeState"] = "clean",
        ["buildDate"] = "2026-01-01T00:00:00Z",
        ["goVersion"] = "go1.23",
        ["compiler"] = "gc",
        ["platform"] = "linux/amd64",
    };

    public static JsonObject CoreVersions() => new()
    {
        ["kind"] = "APIVersions",
        ["versions"] = new JsonArray("v1"),
        ["serverAddressByClientCIDRs"] = new JsonArray(new JsonObject { ["clientCIDR"] = "0.0.0.0/0", ["serverAddress"] = "127.0.0.1" }),
    };

    public static JsonObject Groups(ResourceCatalog catalog) => new()
    {
        ["kind"] = "APIGroupList",
        ["apiVersion"] = "v1",
        ["groups"] = new JsonArray([.. GroupNames(catalog).Select(g => (JsonNode)Group(catalog, g)!)]),
    };

    public static JsonObject? Group(ResourceCatalog catalog, string group)
    {
        var versions = catalog.Types.Where(t => t.Group == group).Select(t => t.Version).Distinct().ToList();
        if (group.Length == 0 || versions.Count == 0)
        {
            return null;
        }
        var preferred = PreferredVersion(catalog, group, versions);
        return new JsonObject
        {
            ["kind"] = "APIGroup",
            ["apiVersion"] = "v1",
            ["name"] = group,
            ["versions"] = new JsonArray([.. versions.Select(v => (JsonNode)new JsonObject { ["groupVersion"] = $"{group}/{v}", ["version"] = v })]),
            ["preferredVersion"] = new JsonObject { ["groupVersion"] = $"{group}/{preferred}", ["version"] = preferred },
        };
    }

    public static JsonObject? Resources(ResourceCatalog catalog, string group, string version)
    {
        var types = catalog.Types.Where(t => t.Group == group && t.Version == version).ToList();
        if (types.Count == 0)
        {
            return null;
        }
        var resources = new JsonArray();
        foreach (var type in types)
        {
            var entry = new JsonObject
            {
                ["name"] = type.Plural,
                ["singularName"] = type.Singular,
                ["namespaced"] = type.Namespaced,
                ["kind"] = type.Kind,
                ["verbs"] = new JsonArray([.. type.Verbs.Select(v => (JsonNode)v)]),
            };
            if (type.ShortNames.Count > 0) entry["shortNames"] = new JsonArray([.. type.ShortNames.Select(s => (JsonNode)s)]);
            if (type.Categories.Count > 0) entry["categories"] = new JsonArray([.. type.Categories.Select(s => (JsonNode)s)]);
            resources.Add(entry);
            if (type.HasStatus)
            {
                resources.Add(new JsonObject
                {
                    ["name"] = type.Plural + "/status",
                    ["singularName"] = "",
                    ["namespaced"] = type.Namespaced,
                    ["kind"] = type.Kind,
                    ["verbs"] = new JsonArray("get", "patch", "update"),
                });
            }
            if (type.StorageKey == "pods")
            {
                resources.Add(new JsonObject
                {
                    ["name"] = "pods/log", ["singularName"] = "", ["namespaced"] = true, ["kind"] = "Pod", ["verbs"] = new JsonArray("get"),
                });
            }
        }
        return new JsonObject
        {
            ["kind"] = "APIResourceList",
            ["apiVersion"] = "v1",
            ["groupVersion"] = group.Length == 0 ? version : $"{group}/{version}",
            ["resources"] = resources,
        };
    }

    private static IEnumerable<string> GroupNames(ResourceCatalog catalog) =>
        catalog.Types.Select(t => t.Group).Where(g => g.Length > 0).Distinct();

    // A CRD's first served storage version is preferred; built-in groups have one version here.
    private static string PreferredVersion(ResourceCatalog catalog, string group, List<string> versions)
    {
        var storage = catalog.Types.Where(t => t.Group == group && t.Definition is not null)
            .SelectMany(t => t.Definition!["spec"]?["versions"]?.AsArray() ?? [])
            .FirstOrDefault(v => v?["storage"]?.GetValue<bool>() == true);
        return (string?)storage?["name"] is { } name && versions.Contains(name) ? name : versions[0];
    }
}
