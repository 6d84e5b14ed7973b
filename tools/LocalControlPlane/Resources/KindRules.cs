using System.Text;
using System.Text.Json.Nodes;
using CallImport.LocalControlPlane.Http;

namespace CallImport.LocalControlPlane.Resources;

/// <summary>What the real apiserver's per-kind strategies do on create and update, for the built-ins here.</summary>
public static class KindRules
{
    public static void OnCreate(ResourceType type, JsonObject obj, DateTimeOffset now)
    {
        var metadata = obj["metadata"]!.AsObject();
        switch (type.StorageKey)
        {
            case "namespaces":
                var labels = metadata["labels"] as JsonObject ?? new JsonObject();
                labels["kubernetes.io/metadata.name"] = (string?)metadata["name"];
                metadata["labels"] = labels;
                obj["spec"] = new JsonObject { ["finalizers"] = new JsonArray("kubernetes") };
                obj["status"] = new JsonObject { ["phase"] = "Active" };
                break;
            case "jobs.batch":
                DefaultJob(obj);
                break;
            case "pods":
                obj["status"] ??= new JsonObject();
                obj["status"]!["phase"] ??= "Pending";
                obj["status"]!["qosClass"] ??= "BestEffort";
                break;
            case "events":
                EventConversion.FillCoreDefaults(obj, now);
                break;
            case "customresourcedefinitions.apiextensions.k8s.io":
                obj["status"] = DefinitionStatus(obj, now);
                break;
        }
        OnWrite(type, obj);
    }

    public static void OnWrite(ResourceType type, JsonObject obj)
    {
        if (type.StorageKey == "secrets")
        {
            if ((string?)obj["type"] is null or "")
            {
                obj["type"] = "Opaque";
            }
            if (obj["stringData"] is JsonObject stringData)
            {
                var data = obj["data"] as JsonObject ?? new JsonObject();
                foreach (var (key, value) in stringData)
                {
                    data[key] = Convert.ToBase64String(Encoding.UTF8.GetBytes(value?.ToString() ?? ""));
                }
                obj["data"] = data;
                obj.Remove("stringData");
            }
        }
        if (type.StorageKey == "jobs.batch")
        {
            ValidateJob(obj);
        }
    }

    private static void DefaultJob(JsonObject job)
    {
        var metadata = job["metadata"]!.AsObject();
        var uid = (string?)metadata["uid"];
        var name = (string?)metadata["name"];
        var spec = job["spec"] as JsonObject ?? new JsonObject();
        job["spec"] = spec;
        spec["parallelism"] ??= 1;
        spec["completions"] ??= 1;
        spec["backoffLimit"] ??= 6;
        spec["completionMode"] ??= "NonIndexed";
        spec["suspend"] ??= false;
        spec["podReplacementPolicy"] ??= "TerminatingOrFailed";
        if (spec["manualSelector"]?.GetValue<bool>() != true)
        {
            spec["selector"] = new JsonObject
            {
                ["matchLabels"] = new JsonObject { ["batch.kubernetes.io/controller-uid"] = uid },
            };
        }
        var template = spec["template"] as JsonObject ?? new JsonObject();
        spec["template"] = template;
        var templateMetadata = template["metadata"] as JsonObject ?? new JsonObject();
        template["metadata"] = templateMetadata;
        var labels = templateMetadata["labels"] as JsonObject ?? new JsonObject();
        templateMetadata["labels"] = labels;
        labels["batch.kubernetes.io/controller-uid"] = uid;
        labels["batch.kubernetes.io/job-name"] = name;
        labels["controller-uid"] = uid;
        labels["job-name"] = name;
    }

    private static void ValidateJob(JsonObject job)
    {
        var name = (string?)job["metadata"]?["name"] ?? "";
        var policy = (string?)job["spec"]?["template"]?["spec"]?["restartPolicy"];
        const string field = "spec.template.spec.restartPolicy";
        if (policy is null)
        {
            throw ApiException.Invalid("Job", "batch", name, field, "FieldValueRequired", "Required value: valid values: \"OnFailure\", \"Never\"");
        }
        if (policy is not ("Never" or "OnFailure"))
        {
            throw ApiException.Invalid("Job", "batch", name, field, "FieldValueNotSupported",
                $"Unsupported value: \"{policy}\": supported values: \"OnFailure\", \"Never\"");
        }
    }

    public static JsonObject DefinitionStatus(JsonObject crd, DateTimeOffset now)
    {
        var time = ObjectTime.Format(now);
        var storage = (crd["spec"]?["versions"]?.AsArray() ?? [])
            .Where(v => v?["storage"]?.GetValue<bool>() == true).Select(v => (JsonNode?)(string?)v!["name"]);
        return new JsonObject
        {
            ["acceptedNames"] = crd["spec"]?["names"]?.DeepClone(),
            ["conditions"] = new JsonArray(
                new JsonObject { ["type"] = "NamesAccepted", ["status"] = "True", ["reason"] = "NoConflicts", ["message"] = "no conflicts found", ["lastTransitionTime"] = time },
                new JsonObject { ["type"] = "Established", ["status"] = "True", ["reason"] = "InitialNamesAccepted", ["message"] = "the initial names have been accepted", ["lastTransitionTime"] = time }),
            ["storedVersions"] = new JsonArray([.. storage]),
        };
    }
}
