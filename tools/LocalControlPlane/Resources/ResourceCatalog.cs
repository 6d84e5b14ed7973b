using System.Collections.Immutable;
using System.Text.Json.Nodes;

namespace CallImport.LocalControlPlane.Resources;

/// <summary>
/// Every served resource type: the built-ins plus the kinds of each established CRD.
/// Rebuilt as an immutable snapshot whenever CRDs change, so readers never lock.
/// </summary>
public sealed class ResourceCatalog
{
    private ImmutableArray<ResourceType> types = [.. BuiltInTypes.All];
    private long generation = 1;

    public ImmutableArray<ResourceType> Types => types;

    /// <summary>Changes whenever the set of types changes; used as the OpenAPI hash.</summary>
    public long Generation => Interlocked.Read(ref generation);

    public ResourceType? Find(string group, string version, string plural) =>
        types.FirstOrDefault(t => t.Group == group && t.Version == version && t.Plural == plural);

    public ResourceType? FindByStorage(string storageKey) =>
        types.FirstOrDefault(t => t.StorageKey == storageKey);

    public ResourceType? FindKind(string apiVersion, string kind) =>
        types.FirstOrDefault(t => t.ApiVersion == apiVersion && t.Kind == kind);

    public IEnumerable<IGrouping<string, ResourceType>> GroupVersions() =>
        types.GroupBy(t => t.ApiVersion);

    public void Rebuild(IEnumerable<JsonObject> definitions)
    {
        var all = new List<ResourceType>(BuiltInTypes.All);
        foreach (var crd in definitions)
        {
            if (crd["metadata"]?["deletionTimestamp"] is not null)
            {
                continue;
            }
            all.AddRange(FromDefinition(crd));
        }
        types = [.. all];
        Interlocked.Increment(ref generation);
    }

    public static IEnumerable<ResourceType> FromDefinition(JsonObject crd)
    {
        var spec = crd["spec"]?.AsObject();
        var names = spec?["names"]?.AsObject();
        if (spec is null || names is null)
        {
            yield break;
        }
        var group = (string?)spec["group"] ?? "";
        var plural = (string?)names["plural"] ?? "";
        var kind = (string?)names["kind"] ?? "";
        var singular = (string?)names["singular"] ?? kind.ToLowerInvariant();
        var shortNames = (names["shortNames"]?.AsArray() ?? []).Select(n => (string?)n ?? "").ToList();
        var categories = (names["categories"]?.AsArray() ?? []).Select(n => (string?)n ?? "").ToList();
        var namespaced = (string?)spec["scope"] != "Cluster";
        foreach (var version in spec["versions"]?.AsArray() ?? [])
        {
            if (version is null || version["served"]?.GetValue<bool>() == false)
            {
                continue;
            }
            var selectable = new Dictionary<string, string>();
            foreach (var field in version["selectableFields"]?.AsArray() ?? [])
            {
                var path = (string?)field?["jsonPath"];
                if (path is not null)
                {
                    selectable[path.TrimStart('.')] = path;
                }
            }
            yield return new ResourceType
            {
                Group = group,
                Version = (string?)version["name"] ?? "v1",
                Plural = plural,
                Singular = singular,
                Kind = kind,
                Namespaced = namespaced,
                ShortNames = shortNames,
                Categories = categories,
                HasStatus = version["subresources"]?["status"] is not null,
                HasGeneration = true,
                Definition = crd,
                SelectableFields = selectable,
            };
        }
    }
}
