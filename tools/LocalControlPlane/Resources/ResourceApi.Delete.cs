using System.Text.Json.Nodes;
using CallImport.LocalControlPlane.Http;

namespace CallImport.LocalControlPlane.Resources;

public sealed partial class ResourceApi
{
    private const string JobOrphanWarning =
        "child pods are preserved by default when jobs are deleted; set propagationPolicy=Background to remove them or set propagationPolicy=Orphan to suppress this warning";

    /// <summary>
    /// DELETE of one object. Orphan and Foreground become finalizers the garbage collector works off;
    /// with finalizers the object only gets a deletionTimestamp and stays readable.
    /// </summary>
    public ApiResult Delete(ApiRequest request)
    {
        var type = request.Type;
        var options = request.Body as JsonObject ?? new JsonObject();
        var policy = (string?)options["propagationPolicy"] ?? request.Param("propagationPolicy");
        if ((bool?)options["orphanDependents"] == true || request.Param("orphanDependents") == "true")
        {
            policy ??= "Orphan";
        }
        if (policy is null && type.StorageKey == "jobs.batch")
        {
            policy = "Orphan";
            request.Warnings.Add(JobOrphanWarning);
        }
        lock (store.Gate)
        {
            var current = Existing(request);
            CheckPreconditions(request, options, current);
            if (type.StorageKey == "namespaces")
            {
                return DeleteNamespace(request);
            }
            var finalizers = Finalizers(current);
            var extra = policy switch
            {
                "Orphan" => "orphan",
                "Foreground" => "foregroundDeletion",
                _ => null,
            };
            if (extra is not null && current["metadata"]!["deletionTimestamp"] is null && !finalizers.Contains(extra))
            {
                finalizers.Add(extra);
            }
            if (request.DryRun)
            {
                return new ApiResult(200, Present(type, current));
            }
            if (finalizers.Count == 0)
            {
                var last = store.Remove(type.StorageKey, request.Namespace ?? "", request.Name!)!;
                AfterWrite(type);
                return new ApiResult(200, DeletedStatus(type, last));
            }
            if (current["metadata"]!["deletionTimestamp"] is not null)
            {
                return new ApiResult(200, Present(type, current));
            }
            var next = current.DeepClone().AsObject();
            var metadata = next["metadata"]!.AsObject();
            metadata["finalizers"] = new JsonArray([.. finalizers.Select(f => (JsonNode)f)]);
            metadata["deletionTimestamp"] = ObjectTime.Format(Now);
            metadata["deletionGracePeriodSeconds"] = 0;
            if (type.HasGeneration)
            {
                metadata["generation"] = ((long?)metadata["generation"] ?? 0) + 1;
            }
            var stored = store.Put(type.StorageKey, next);
            AfterWrite(type);
            return new ApiResult(200, Present(type, stored));
        }
    }

    public ApiResult DeleteCollection(ApiRequest request)
    {
        var type = request.Type;
        lock (store.Gate)
        {
            var deleted = new JsonArray();
            foreach (var obj in Select(request))
            {
                var item = new ApiRequest
                {
                    Type = type,
                    Namespace = (string?)obj["metadata"]?["namespace"],
                    Name = (string?)obj["metadata"]?["name"],
                    Query = request.Query,
                    Body = request.Body,
                };
                Delete(item);
                request.Warnings.AddRange(item.Warnings.Except(request.Warnings));
                deleted.Add(Present(type, obj));
            }
            return new ApiResult(200, new JsonObject
            {
                ["kind"] = type.Kind + "List",
                ["apiVersion"] = type.ApiVersion,
                ["metadata"] = new JsonObject { ["resourceVersion"] = store.CurrentVersion.ToString(System.Globalization.CultureInfo.InvariantCulture) },
                ["items"] = deleted,
            });
        }
    }

    /// <summary>Pods answer with the object, like the real apiserver; everything else with a Status carrying the uid.</summary>
    private static JsonObject DeletedStatus(ResourceType type, JsonObject last)
    {
        if (type.StorageKey == "pods")
        {
            return Present(type, last);
        }
        var details = new JsonObject { ["name"] = (string?)last["metadata"]?["name"] };
        if (type.Group.Length > 0)
        {
            details["group"] = type.Group;
        }
        details["kind"] = type.Plural;
        details["uid"] = (string?)last["metadata"]?["uid"];
        return StatusObjects.Success(details);
    }

    private static void CheckPreconditions(ApiRequest request, JsonObject options, JsonObject current)
    {
        var preconditions = options["preconditions"] as JsonObject;
        var uid = (string?)preconditions?["uid"] ?? request.Param("preconditions.uid");
        var version = (string?)preconditions?["resourceVersion"] ?? request.Param("preconditions.resourceVersion");
        var actualUid = (string?)current["metadata"]!["uid"];
        var actualVersion = (string?)current["metadata"]!["resourceVersion"];
        if (!string.IsNullOrEmpty(uid) && uid != actualUid)
        {
            throw ApiException.Conflict(request.Type.Group, request.Type.Plural, request.Name!,
                $"Precondition failed: UID in precondition: {uid}, UID in object meta: {actualUid}");
        }
        if (!string.IsNullOrEmpty(version) && version != actualVersion)
        {
            throw ApiException.Conflict(request.Type.Group, request.Type.Plural, request.Name!,
                $"Precondition failed: ResourceVersion in precondition: {version}, ResourceVersion in meta: {actualVersion}");
        }
    }

    /// <summary>Namespace deletion removes everything in it, then the namespace; the system ones are protected.</summary>
    private ApiResult DeleteNamespace(ApiRequest request)
    {
        var name = request.Name!;
        if (name is "default" or "kube-system" or "kube-public")
        {
            throw new ApiException(403, "Forbidden", $"namespaces \"{name}\" is forbidden: this namespace may not be deleted",
                new JsonObject { ["name"] = name, ["kind"] = "namespaces" });
        }
        foreach (var (key, obj) in store.All())
        {
            if ((string?)obj["metadata"]?["namespace"] == name)
            {
                store.Remove(key, name, (string?)obj["metadata"]?["name"] ?? "");
            }
        }
        var last = store.Remove(BuiltInTypes.Namespaces.StorageKey, "", name)!;
        var shown = Present(BuiltInTypes.Namespaces, last);
        shown["status"] = new JsonObject { ["phase"] = "Terminating" };
        return new ApiResult(200, shown);
    }
}
