using System.Text.Json.Nodes;

namespace CallImport.LocalControlPlane.Resources;

/// <summary>
/// core/v1 and events.k8s.io/v1 Events share storage (kept in core/v1 form), so kubectl describe sees
/// events whichever API wrote them.
/// </summary>
public static class EventConversion
{
    private static readonly (string Core, string New)[] Renames =
    [
        ("involvedObject", "regarding"), ("message", "note"), ("reportingComponent", "reportingController"),
        ("source", "deprecatedSource"), ("firstTimestamp", "deprecatedFirstTimestamp"),
        ("lastTimestamp", "deprecatedLastTimestamp"), ("count", "deprecatedCount"),
    ];

    public static JsonObject ToCore(JsonObject newEvent) => Rename(newEvent, fromNew: true, "v1");

    public static JsonObject ToNew(JsonObject coreEvent) => Rename(coreEvent, fromNew: false, "events.k8s.io/v1");

    /// <summary>describe shows Age and count from these, so fill them when the writer did not.</summary>
    public static void FillCoreDefaults(JsonObject coreEvent, DateTimeOffset now)
    {
        var at = (string?)coreEvent["eventTime"] is { } eventTime && ObjectTime.Parse(eventTime) is { } parsed
            ? ObjectTime.Format(parsed) : ObjectTime.Format(now);
        coreEvent["firstTimestamp"] ??= at;
        coreEvent["lastTimestamp"] ??= coreEvent["firstTimestamp"]!.DeepClone();
        coreEvent["count"] ??= (int?)coreEvent["series"]?["count"] ?? 1;
        if (coreEvent["source"] is null && coreEvent["reportingComponent"] is { } component)
        {
            coreEvent["source"] = new JsonObject { ["component"] = component.DeepClone() };
        }
        coreEvent["reportingComponent"] ??= (string?)coreEvent["source"]?["component"] ?? "";
        coreEvent["type"] ??= "Normal";
    }

    private static JsonObject Rename(JsonObject source, bool fromNew, string apiVersion)
    {
        var result = new JsonObject();
        foreach (var (key, value) in source)
        {
            var target = key;
            foreach (var (core, newName) in Renames)
            {
                if (fromNew && key == newName) target = core;
                else if (!fromNew && key == core) target = newName;
            }
            result[target] = value?.DeepClone();
        }
        result["apiVersion"] = apiVersion;
        result["kind"] = "Event";
        return result;
    }
}
