using System.Text.Json.Nodes;

namespace CallImport.LocalControlPlane.Patching;

/// <summary>
/// Minimal server-side apply. The fields a manager applied are recorded as a FieldsV1 set in
/// <c>metadata.managedFields</c>; re-applying merges the new configuration into the live object and
/// removes the leaves that manager applied before but no longer does. Lists are atomic.
/// Ownership conflicts between managers are not detected.
/// </summary>
public static class ServerSideApply
{
    public static JsonObject Apply(JsonObject? live, JsonObject applied, string manager, string apiVersion, string now)
    {
        var result = live?.DeepClone().AsObject() ?? new JsonObject();
        var entries = (result["metadata"]?["managedFields"] as JsonArray)?.Select(e => e!.DeepClone().AsObject()).ToList() ?? [];
        var previous = entries.FirstOrDefault(e => (string?)e["manager"] == manager && (string?)e["operation"] == "Apply");
        var fields = FieldSet(applied);
        if (previous?["fieldsV1"] is JsonObject oldFields)
        {
            RemoveDropped(result, oldFields, fields);
        }
        result = Merge(result, applied);
        // An unchanged field set keeps its time, so a repeated apply is a no-op (no new resourceVersion).
        var time = previous is not null && JsonNode.DeepEquals(previous["fieldsV1"], fields) ? (string?)previous["time"] ?? now : now;
        var entry = new JsonObject
        {
            ["manager"] = manager,
            ["operation"] = "Apply",
            ["apiVersion"] = apiVersion,
            ["time"] = time,
            ["fieldsType"] = "FieldsV1",
            ["fieldsV1"] = fields,
        };
        var at = entries.FindIndex(e => (string?)e["manager"] == manager && (string?)e["operation"] == "Apply");
        if (at >= 0) entries[at] = entry;
        else entries.Add(entry);
        var metadata = result["metadata"] as JsonObject ?? new JsonObject();
        metadata["managedFields"] = new JsonArray([.. entries]);
        result["metadata"] = metadata;
        return result;
    }

    /// <summary>The FieldsV1 form of a configuration: {"f:spec":{"f:x":{}}}.</summary>
    public static JsonObject FieldSet(JsonObject config)
    {
        var set = new JsonObject();
        foreach (var (key, value) in config)
        {
            if (key is "apiVersion" or "kind" || (key == "metadata" && value is JsonObject))
            {
                if (key == "metadata" && value is JsonObject meta)
                {
                    var metaSet = new JsonObject();
                    foreach (var (mk, mv) in meta)
                    {
                        if (mk is "labels" or "annotations" && mv is JsonObject map)
                        {
                            metaSet["f:" + mk] = new JsonObject(map.Select(p => KeyValuePair.Create<string, JsonNode?>("f:" + p.Key, new JsonObject())));
                        }
                        else if (mk is "finalizers" or "ownerReferences")
                        {
                            metaSet["f:" + mk] = new JsonObject();
                        }
                    }
                    if (metaSet.Count > 0) set["f:metadata"] = metaSet;
                }
                continue;
            }
            set["f:" + key] = value is JsonObject child ? FieldSet(child) : new JsonObject();
        }
        return set;
    }

    // Leaves this manager no longer applies are removed; containers are entered rather than dropped whole,
    // so fields other managers set inside them (labels, metadata itself) survive.
    private static void RemoveDropped(JsonObject live, JsonObject oldSet, JsonObject? newSet)
    {
        foreach (var (fkey, oldChild) in oldSet)
        {
            var key = fkey[2..];
            var newChild = newSet?[fkey] as JsonObject;
            if (oldChild is JsonObject { Count: > 0 } oldFields && live[key] is JsonObject liveChild)
            {
                RemoveDropped(liveChild, oldFields, newChild);
                if (newChild is null && liveChild.Count == 0 && key != "metadata")
                {
                    live.Remove(key);
                }
            }
            else if (newChild is null)
            {
                live.Remove(key);
            }
        }
    }

    private static JsonObject Merge(JsonObject live, JsonObject applied)
    {
        foreach (var (key, value) in applied)
        {
            if (value is JsonObject child && live[key] is JsonObject liveChild && key != "managedFields")
            {
                live[key] = Merge(liveChild.DeepClone().AsObject(), child);
            }
            else
            {
                live[key] = value?.DeepClone();
            }
        }
        return live;
    }
}
