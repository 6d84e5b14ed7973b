using System.Globalization;
using System.Text.Json.Nodes;
using CallImport.LocalControlPlane.Resources;

namespace CallImport.LocalControlPlane.Discovery;

/// <summary>
/// Just enough OpenAPI v3 for kubectl: one PATCH operation per kind that declares the fieldValidation
/// parameter, so kubectl leaves validation to the server (it then never needs /openapi/v2), and each custom
/// kind's schema under components (tagged with its group-version-kind) for <c>kubectl explain</c>. The hash
/// changes with the catalog, because kubectl caches documents by URL.
/// </summary>
public static class OpenApiDocuments
{
    public static JsonObject Index(ResourceCatalog catalog)
    {
        var hash = Hash(catalog);
        var paths = new JsonObject();
        foreach (var gv in catalog.GroupVersions())
        {
            var path = gv.First().GroupVersionPath;
            paths[path] = new JsonObject { ["serverRelativeURL"] = $"/openapi/v3/{path}?hash={hash}" };
        }
        return new JsonObject { ["paths"] = paths };
    }

    public static JsonObject? GroupVersion(ResourceCatalog catalog, string path)
    {
        var types = catalog.Types.Where(t => t.GroupVersionPath == path).ToList();
        if (types.Count == 0)
        {
            return null;
        }
        var paths = new JsonObject();
        var schemas = new JsonObject();
        foreach (var type in types)
        {
            if (SchemaOf(type) is { } schema)
                schemas[ComponentName(type)] = schema;
            var item = type.Namespaced
                ? $"/{path}/namespaces/{{namespace}}/{type.Plural}/{{name}}"
                : $"/{path}/{type.Plural}/{{name}}";
            paths[item] = new JsonObject
            {
                ["patch"] = new JsonObject
                {
                    ["x-kubernetes-group-version-kind"] = new JsonObject { ["group"] = type.Group, ["version"] = type.Version, ["kind"] = type.Kind },
                    ["parameters"] = new JsonArray(
                        new JsonObject { ["name"] = "fieldValidation", ["in"] = "query", ["schema"] = new JsonObject { ["type"] = "string" } },
                        new JsonObject { ["name"] = "fieldManager", ["in"] = "query", ["schema"] = new JsonObject { ["type"] = "string" } }),
                    ["responses"] = new JsonObject { ["200"] = new JsonObject { ["description"] = "OK" } },
                },
            };
        }
        return new JsonObject
        {
            ["openapi"] = "3.0.0",
            ["info"] = new JsonObject { ["title"] = "Kubernetes", ["version"] = "v1.32.0" },
            ["paths"] = paths,
            ["components"] = new JsonObject { ["schemas"] = schemas },
        };
    }

    /// <summary>A custom kind's served schema, as the API server publishes it: its GVK attached, metadata as ObjectMeta.</summary>
    private static JsonObject? SchemaOf(ResourceType type)
    {
        var versions = type.Definition?["spec"]?["versions"] as JsonArray;
        var served = versions?.OfType<JsonObject>().FirstOrDefault(v => (string?)v["name"] == type.Version);
        if (served?["schema"]?["openAPIV3Schema"] is not JsonObject schema)
            return null;
        var published = schema.DeepClone().AsObject();
        published["x-kubernetes-group-version-kind"] = new JsonArray(new JsonObject { ["group"] = type.Group, ["version"] = type.Version, ["kind"] = type.Kind });
        if (published["properties"] is JsonObject properties)
            properties["metadata"] = new JsonObject { ["type"] = "object", ["description"] = "Standard object's metadata." };
        return published;
    }

    /// <summary>The API server's component name: the group reversed, then version and kind (io.callimport.v1alpha1.ImportJob).</summary>
    private static string ComponentName(ResourceType type) =>
        $"{string.Join('.', type.Group.Split('.').Reverse())}.{type.Version}.{type.Kind}";

    public static string Hash(ResourceCatalog catalog) => "G" + catalog.Generation.ToString(CultureInfo.InvariantCulture);
}
