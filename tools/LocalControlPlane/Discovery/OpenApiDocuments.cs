using System.Globalization;
using System.Text.Json.Nodes;
using CallImport.LocalControlPlane.Resources;

namespace CallImport.LocalControlPlane.Discovery;

/// <summary>
/// Just enough OpenAPI v3 for kubectl: one PATCH operation per kind that declares the fieldValidation
/// parameter, so kubectl leaves validation to the server (it then never needs /openapi/v2). The hash
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
        foreach (var type in types)
        {
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
            ["components"] = new JsonObject { ["schemas"] = new JsonObject() },
        };
    }

    public static string Hash(ResourceCatalog catalog) => "G" + catalog.Generation.ToString(CultureInfo.InvariantCulture);
}
