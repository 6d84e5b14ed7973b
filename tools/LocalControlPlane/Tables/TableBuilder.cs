using System.Globalization;
using System.Text.Json.Nodes;
using CallImport.LocalControlPlane.Resources;
using CallImport.LocalControlPlane.Selection;

namespace CallImport.LocalControlPlane.Tables;

/// <summary>
/// meta.k8s.io/v1 Tables for kubectl get: a CRD's additionalPrinterColumns, the built-in columns of
/// Jobs, Pods and Namespaces, and Name/Age for everything else. Rows carry PartialObjectMetadata.
/// </summary>
public static class TableBuilder
{
    /// <summary>What a row's <c>object</c> holds: the <c>includeObject</c> query parameter (kubectl asks for Object to --sort-by).</summary>
    public enum IncludeObject { Metadata, WholeObject, None }

    public static IncludeObject ParseInclude(string value) => value switch
    {
        "Object" => IncludeObject.WholeObject,
        "None" => IncludeObject.None,
        _ => IncludeObject.Metadata,
    };

    public static JsonObject Build(ResourceType type, IEnumerable<JsonObject> objects, string resourceVersion, DateTimeOffset now, bool includeColumns = true,
        IncludeObject include = IncludeObject.Metadata)
    {
        var columns = Columns(type);
        var table = new JsonObject
        {
            ["kind"] = "Table",
            ["apiVersion"] = "meta.k8s.io/v1",
            ["metadata"] = new JsonObject { ["resourceVersion"] = resourceVersion },
        };
        if (includeColumns)
        {
            table["columnDefinitions"] = new JsonArray([.. columns.Select(c => (JsonNode)new JsonObject
            {
                ["name"] = c.Name, ["type"] = c.Type, ["format"] = c.Format, ["description"] = c.Description, ["priority"] = c.Priority,
            })]);
        }
        else
        {
            table["columnDefinitions"] = null;
        }
        table["rows"] = new JsonArray([.. objects.Select(o => (JsonNode)Row(columns, o, now, include))]);
        return table;
    }

    private static JsonObject Row(IReadOnlyList<TableColumn> columns, JsonObject obj, DateTimeOffset now, IncludeObject include) => new()
    {
        ["cells"] = new JsonArray([.. columns.Select(c => c.Cell(obj, now))]),
        ["object"] = include switch
        {
            IncludeObject.WholeObject => obj.DeepClone(),
            IncludeObject.None => null,
            _ => new JsonObject
            {
                ["kind"] = "PartialObjectMetadata",
                ["apiVersion"] = "meta.k8s.io/v1",
                ["metadata"] = obj["metadata"]?.DeepClone(),
            },
        },
    };

    public static IReadOnlyList<TableColumn> Columns(ResourceType type)
    {
        var name = new TableColumn("Name", "string", "name", "Name must be unique within a namespace.", 0, (o, _) => (string?)o["metadata"]?["name"]);
        var age = new TableColumn("Age", "string", "", "CreationTimestamp is a timestamp representing the server time when this object was created.", 0,
            (o, now) => AgeText.Since(ObjectTime.Parse((string?)o["metadata"]?["creationTimestamp"]), now));
        if (type.Definition is not null)
        {
            return CustomColumns(type, name);
        }
        return type.StorageKey switch
        {
            "jobs.batch" => [name, Text("Status", JobStatus), Text("Completions", JobCompletions),
                new("Duration", "string", "", "Time the job took (or has been running).", 0, JobDuration), age],
            "events" => EventColumns(name),
            "pods" => [name, Text("Ready", PodReady), Text("Status", PodStatus), Text("Restarts", PodRestarts), age],
            "namespaces" => [name, Text("Status", o => (string?)o["status"]?["phase"] ?? ""), age],
            _ => [name, age],
        };
    }

    private static TableColumn Text(string name, Func<JsonObject, string> cell) =>
        new(name, "string", "", name, 0, (o, _) => cell(o));

    private static List<TableColumn> CustomColumns(ResourceType type, TableColumn name)
    {
        var version = (type.Definition!["spec"]?["versions"]?.AsArray() ?? []).FirstOrDefault(v => (string?)v?["name"] == type.Version);
        var declared = version?["additionalPrinterColumns"] as JsonArray;
        var columns = new List<TableColumn> { name };
        if (declared is null || declared.Count == 0)
        {
            columns.Add(new TableColumn("Age", "date", "", "Custom resource definition column (in JSONPath format): .metadata.creationTimestamp", 0,
                (o, now) => AgeText.Since(ObjectTime.Parse((string?)o["metadata"]?["creationTimestamp"]), now)));
            return columns;
        }
        foreach (var column in declared.OfType<JsonObject>())
        {
            var path = (string?)column["jsonPath"] ?? "";
            var columnType = (string?)column["type"] ?? "string";
            columns.Add(new TableColumn(
                (string?)column["name"] ?? path,
                columnType,
                (string?)column["format"] ?? "",
                (string?)column["description"] ?? $"Custom resource definition column (in JSONPath format): {path}",
                (int?)column["priority"] ?? 0,
                (o, now) => CustomCell(o, path, columnType, now)));
        }
        return columns;
    }

    private static JsonNode? CustomCell(JsonObject obj, string path, string type, DateTimeOffset now)
    {
        var value = JsonPath.Evaluate(obj, path).FirstOrDefault();
        if (value is null)
        {
            return null;
        }
        var text = value is JsonValue v && v.TryGetValue<string>(out var s) ? s : value.ToJsonString();
        return type switch
        {
            "date" => ObjectTime.Parse(text) is { } at ? AgeText.Since(at, now) : text,
            "integer" when value is JsonValue n && n.TryGetValue<long>(out var i) => i,
            "number" when value is JsonValue n && n.TryGetValue<double>(out var d) => d,
            "boolean" when value is JsonValue b && b.TryGetValue<bool>(out var flag) => flag,
            "integer" or "number" or "boolean" => null,
            _ => text,
        };
    }

    private static string JobStatus(JsonObject job)
    {
        var conditions = (job["status"]?["conditions"] as JsonArray ?? []).OfType<JsonObject>()
            .Where(c => (string?)c["status"] == "True").Select(c => (string?)c["type"]).ToList();
        if (conditions.Contains("Complete")) return "Complete";
        if (conditions.Contains("Failed")) return "Failed";
        if (job["metadata"]?["deletionTimestamp"] is not null) return "Terminating";
        if (conditions.Contains("FailureTarget")) return "FailureTarget";
        if (conditions.Contains("SuccessCriteriaMet")) return "SuccessCriteriaMet";
        if (conditions.Contains("Suspended")) return "Suspended";
        return "Running";
    }

    private static string JobCompletions(JsonObject job) =>
        $"{(int?)job["status"]?["succeeded"] ?? 0}/{(int?)job["spec"]?["completions"] ?? 1}";

    private static JsonNode? JobDuration(JsonObject job, DateTimeOffset now)
    {
        var start = ObjectTime.Parse((string?)job["status"]?["startTime"]);
        var end = ObjectTime.Parse((string?)job["status"]?["completionTime"]);
        return start is null ? "" : AgeText.Humanize((end ?? now) - start.Value);
    }

    // kubectl get events: the columns of the built-in event printer.
    private static List<TableColumn> EventColumns(TableColumn name)
    {
        static string? Text(JsonObject e, string field) => (string?)e[field];
        static DateTimeOffset? Last(JsonObject e) =>
            ObjectTime.Parse(Text(e, "lastTimestamp")) ?? ObjectTime.Parse(Text(e, "eventTime")) ?? ObjectTime.Parse(Text(e, "firstTimestamp"));
        return
        [
            new("Last Seen", "string", "", "Time since the event was last seen.", 0, (e, now) => AgeText.Since(Last(e), now)),
            new("Type", "string", "", "Normal or Warning.", 0, (e, _) => Text(e, "type")),
            new("Reason", "string", "", "Why the event happened.", 0, (e, _) => Text(e, "reason")),
            new("Object", "string", "", "The object the event is about.", 0,
                (e, _) => $"{((string?)e["involvedObject"]?["kind"] ?? "").ToLowerInvariant()}/{(string?)e["involvedObject"]?["name"]}"),
            new("Source", "string", "", "Who reported it.", 1, (e, _) => (string?)e["source"]?["component"] ?? Text(e, "reportingComponent")),
            new("Message", "string", "", "What happened.", 0, (e, _) => Text(e, "message")),
            new("Count", "string", "", "How many times.", 1, (e, _) => ((int?)e["count"] ?? 1).ToString(CultureInfo.InvariantCulture)),
            name with { Priority = 1 },
        ];
    }

    private static string PodReady(JsonObject pod)
    {
        var statuses = (pod["status"]?["containerStatuses"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        var total = (pod["spec"]?["containers"] as JsonArray)?.Count ?? statuses.Count;
        return $"{statuses.Count(s => (bool?)s["ready"] == true)}/{total}";
    }

    private static string PodStatus(JsonObject pod)
    {
        if (pod["metadata"]?["deletionTimestamp"] is not null) return "Terminating";
        foreach (var status in (pod["status"]?["containerStatuses"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if ((string?)status["state"]?["waiting"]?["reason"] is { Length: > 0 } waiting) return waiting;
            if ((string?)status["state"]?["terminated"]?["reason"] is { Length: > 0 } terminated) return terminated;
        }
        return (string?)pod["status"]?["phase"] ?? "Pending";
    }

    private static string PodRestarts(JsonObject pod) =>
        ((pod["status"]?["containerStatuses"] as JsonArray ?? []).OfType<JsonObject>().Sum(s => (int?)s["restartCount"] ?? 0))
            .ToString(CultureInfo.InvariantCulture);
}
