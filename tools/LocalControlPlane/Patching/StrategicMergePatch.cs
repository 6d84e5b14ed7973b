using System.Text.Json.Nodes;

namespace CallImport.LocalControlPlane.Patching;

/// <summary>
/// Strategic merge patch for built-in kinds, approximated the way kubectl's patches need it: lists of
/// objects merge by their key (<c>name</c>, or <c>type</c> for conditions, <c>containerPort</c> for ports),
/// other lists are replaced; <c>$patch: delete|replace</c>, <c>$retainKeys</c>,
/// <c>$setElementOrder/…</c> and <c>$deleteFromPrimitiveList/…</c> are honoured.
/// </summary>
public static class StrategicMergePatch
{
    public static JsonNode? Apply(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject)
        {
            return patch?.DeepClone();
        }
        if ((string?)patchObject["$patch"] == "replace")
        {
            var replaced = patchObject.DeepClone().AsObject();
            replaced.Remove("$patch");
            return replaced;
        }
        var result = target is JsonObject t ? t.DeepClone().AsObject() : new JsonObject();
        if (patchObject["$retainKeys"] is JsonArray retain)
        {
            var keep = retain.Select(k => (string?)k).ToHashSet();
            foreach (var key in result.Select(p => p.Key).Where(k => !keep.Contains(k)).ToList())
            {
                result.Remove(key);
            }
        }
        foreach (var (key, value) in patchObject)
        {
            if (key is "$patch" or "$retainKeys" || key.StartsWith("$setElementOrder/", StringComparison.Ordinal))
            {
                continue;
            }
            if (key.StartsWith("$deleteFromPrimitiveList/", StringComparison.Ordinal))
            {
                var listName = key["$deleteFromPrimitiveList/".Length..];
                if (result[listName] is JsonArray list && value is JsonArray drop)
                {
                    var remaining = list.Where(i => !drop.Any(d => JsonNode.DeepEquals(d, i))).Select(i => i?.DeepClone());
                    result[listName] = new JsonArray([.. remaining]);
                }
                continue;
            }
            if (value is null)
            {
                result.Remove(key);
            }
            else if (value is JsonArray patchList && result[key] is JsonArray liveList && KeyFor(key, patchList, liveList) is { } mergeKey)
            {
                result[key] = MergeList(liveList, patchList, mergeKey);
            }
            else
            {
                result[key] = Apply(result[key], value);
            }
        }
        return result;
    }

    private static string? KeyFor(string listName, JsonArray patch, JsonArray live)
    {
        var items = patch.Concat(live).ToList();
        if (items.Count == 0 || items.Any(i => i is not JsonObject))
        {
            return null;
        }
        var preferred = listName switch
        {
            "conditions" => "type",
            "ports" => "containerPort",
            "ownerReferences" => "uid",
            _ => "name",
        };
        return items.All(i => i is JsonObject o && (o.ContainsKey(preferred) || (string?)o["$patch"] == "delete")) ? preferred : null;
    }

    private static JsonArray MergeList(JsonArray live, JsonArray patch, string key)
    {
        var merged = live.Select(i => i!.DeepClone().AsObject()).ToList();
        foreach (var item in patch.Cast<JsonObject>())
        {
            var id = item[key]?.ToJsonString();
            var at = merged.FindIndex(m => m[key]?.ToJsonString() == id);
            if ((string?)item["$patch"] == "delete")
            {
                if (at >= 0) merged.RemoveAt(at);
            }
            else if (at >= 0)
            {
                merged[at] = Apply(merged[at], item)!.AsObject();
            }
            else
            {
                merged.Add(Apply(null, item)!.AsObject());
            }
        }
        return new JsonArray([.. merged]);
    }
}
