using System.Text.Json.Nodes;
using CallImport.LocalControlPlane.Http;
using CallImport.LocalControlPlane.Patching;

namespace CallImport.LocalControlPlane.Resources;

public sealed partial class ResourceApi
{
    private static readonly string[] ServerOwnedMetadata =
        ["uid", "creationTimestamp", "resourceVersion", "deletionTimestamp", "deletionGracePeriodSeconds", "generation", "selfLink"];

    public ApiResult Create(ApiRequest request)
    {
        var type = request.Type;
        var obj = Accept(type, request.Body);
        var metadata = obj["metadata"]!.AsObject();
        if (type.Namespaced)
        {
            if ((string?)metadata["namespace"] is { Length: > 0 } bodyNamespace && bodyNamespace != request.Namespace)
            {
                throw ApiException.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
            }
            metadata["namespace"] = request.Namespace;
        }
        else
        {
            metadata.Remove("namespace");
        }
        lock (store.Gate)
        {
            RequireNamespace(request);
            if ((string?)metadata["name"] is null or "")
            {
                if ((string?)metadata["generateName"] is { Length: > 0 } prefix)
                {
                    metadata["name"] = prefix + RandomSuffix();
                }
                else
                {
                    throw ApiException.Invalid(type.Kind, type.Group, "", "metadata.name", "FieldValueRequired",
                        "Required value: name or generateName is required");
                }
            }
            var name = (string)metadata["name"]!;
            ObjectNames.Validate(type, name);
            if (store.Get(type.StorageKey, request.Namespace ?? "", name) is not null)
            {
                throw ApiException.AlreadyExists(type.Group, type.Plural, name);
            }
            var created = Prepare(request, obj);
            if (request.DryRun)
            {
                return new ApiResult(201, Present(type, created));
            }
            var stored = store.Put(type.StorageKey, created);
            AfterWrite(type);
            return new ApiResult(201, Present(type, stored));
        }
    }

    /// <summary>Server-set metadata and kind defaults for a new object (no write).</summary>
    private JsonObject Prepare(ApiRequest request, JsonObject obj)
    {
        var type = request.Type;
        var metadata = obj["metadata"]!.AsObject();
        foreach (var field in ServerOwnedMetadata)
        {
            metadata.Remove(field);
        }
        metadata["uid"] = Guid.NewGuid().ToString();
        metadata["creationTimestamp"] = ObjectTime.Format(Now);
        if (type.HasGeneration)
        {
            metadata["generation"] = 1;
        }
        if (type.HasStatus && type.IsCustom)
        {
            obj.Remove("status");
        }
        Admit(request, obj, null, null);
        KindRules.OnCreate(type, obj, Now);
        Validation.MetadataValidation.Validate(type, obj);
        return obj;
    }

    /// <summary>PUT of the main resource or of /status.</summary>
    public ApiResult Replace(ApiRequest request)
    {
        var type = request.Type;
        var incoming = Accept(type, request.Body);
        var metadata = incoming["metadata"]!.AsObject();
        if ((string?)metadata["name"] is { Length: > 0 } bodyName && bodyName != request.Name)
        {
            throw ApiException.BadRequest($"the name of the object ({bodyName}) does not match the name on the URL ({request.Name})");
        }
        metadata["name"] = request.Name;
        lock (store.Gate)
        {
            var current = store.Get(type.StorageKey, request.Namespace ?? "", request.Name!);
            if (current is null)
            {
                if (type.Plural == "leases" && request.Subresource is null)
                {
                    metadata["namespace"] = request.Namespace;
                    return Create(new ApiRequest
                    {
                        Type = type, Namespace = request.Namespace, Query = request.Query, Body = Present(type, incoming),
                    });
                }
                throw ApiException.NotFound(type.Group, type.Plural, request.Name!);
            }
            var version = (string?)metadata["resourceVersion"];
            if (string.IsNullOrEmpty(version))
            {
                if (type.RequiresResourceVersionOnUpdate)
                {
                    throw ApiException.Invalid(type.Kind, type.Group, request.Name!, "metadata.resourceVersion", "FieldValueInvalid",
                        "Invalid value: 0x0: must be specified for an update");
                }
            }
            else if (version != (string?)current["metadata"]!["resourceVersion"])
            {
                throw ApiException.Conflict(type.Group, type.Plural, request.Name!);
            }
            return Commit(request, incoming, current);
        }
    }

    /// <summary>PATCH of any type: merge, JSON, strategic merge (built-ins only) or server-side apply.</summary>
    public ApiResult Patch(ApiRequest request)
    {
        var type = request.Type;
        var patchType = request.ContentType;
        if (patchType != "application/apply-patch+yaml" && request.Param("force") is { Length: > 0 })
        {
            throw new ApiException(422, "Invalid", "force: Forbidden: may not be specified for non-apply patch");
        }
        lock (store.Gate)
        {
            if (patchType == "application/apply-patch+yaml")
            {
                return Apply(request);
            }
            var current = Existing(request);
            var presented = Present(type, current);
            JsonNode? patched = patchType switch
            {
                "application/merge-patch+json" => MergePatch.Apply(presented, request.Body),
                "application/json-patch+json" => ApplyJsonPatch(request, presented),
                "application/strategic-merge-patch+json" when !type.IsCustom => StrategicMergePatch.Apply(presented, request.Body),
                _ => throw new ApiException(415, "UnsupportedMediaType",
                    "the body of the request was in an unknown format - accepted media types include: "
                    + (type.IsCustom
                        ? "application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml"
                        : "application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json")),
            };
            var incoming = Accept(type, patched);
            CheckPatchPrecondition(request, current);
            incoming["metadata"]!["resourceVersion"] = current["metadata"]!["resourceVersion"]?.DeepClone();
            return Commit(request, incoming, current);
        }
    }

    private JsonNode ApplyJsonPatch(ApiRequest request, JsonObject presented)
    {
        try
        {
            return JsonPatch.Apply(presented, request.Body);
        }
        catch (JsonPatchFailedException failure)
        {
            throw new ApiException(422, "Invalid", failure.Message);
        }
    }

    private static void CheckPatchPrecondition(ApiRequest request, JsonObject current)
    {
        var wanted = request.Body is JsonObject body ? (string?)body["metadata"]?["resourceVersion"] : null;
        if (!string.IsNullOrEmpty(wanted) && wanted != (string?)current["metadata"]!["resourceVersion"])
        {
            throw ApiException.Conflict(request.Type.Group, request.Type.Plural, request.Name!);
        }
    }

    private ApiResult Apply(ApiRequest request)
    {
        var type = request.Type;
        var manager = request.Param("fieldManager");
        if (string.IsNullOrEmpty(manager))
        {
            throw new ApiException(422, "Invalid", "fieldManager: Required value: is required for apply patch",
                new JsonObject { ["causes"] = new JsonArray(new JsonObject { ["reason"] = "FieldValueRequired", ["message"] = "Required value: is required for apply patch", ["field"] = "fieldManager" }) });
        }
        if (request.Body is not JsonObject applied)
        {
            throw ApiException.BadRequest("the apply patch must be a JSON or YAML object");
        }
        if ((string?)applied["apiVersion"] is null || (string?)applied["kind"] is null)
        {
            throw ApiException.BadRequest("apiVersion and kind must be set in an apply patch");
        }
        if ((string?)applied["metadata"]?["name"] is { } bodyName && bodyName != request.Name)
        {
            throw ApiException.BadRequest($"the name of the object ({bodyName}) does not match the name on the URL ({request.Name})");
        }
        var current = store.Get(type.StorageKey, request.Namespace ?? "", request.Name!);
        var merged = ServerSideApply.Apply(current is null ? null : Present(type, current), applied, manager, type.ApiVersion, ObjectTime.Format(Now));
        merged["metadata"]!["name"] = request.Name;
        if (current is null)
        {
            if (request.Subresource is not null)
            {
                throw ApiException.NotFound(type.Group, type.Plural, request.Name!);
            }
            return Create(new ApiRequest { Type = type, Namespace = request.Namespace, Query = request.Query, Body = merged });
        }
        var incoming = Accept(type, merged);
        incoming["metadata"]!["resourceVersion"] = current["metadata"]!["resourceVersion"]?.DeepClone();
        return Commit(request, incoming, current);
    }

    /// <summary>
    /// The shared update path: status split, immutable metadata, finalizer rules, admission, generation,
    /// no-op detection, and deletion once the last finalizer goes.
    /// </summary>
    private ApiResult Commit(ApiRequest request, JsonObject incoming, JsonObject current)
    {
        var type = request.Type;
        var statusWrite = request.Subresource == "status";
        JsonObject next;
        if (statusWrite)
        {
            next = current.DeepClone().AsObject();
            if (incoming["status"] is { } status) next["status"] = status.DeepClone();
            else next.Remove("status");
        }
        else
        {
            next = incoming;
            if (type.HasStatus)
            {
                if (current["status"] is { } status) next["status"] = status.DeepClone();
                else next.Remove("status");
            }
            var metadata = next["metadata"]!.AsObject();
            var currentMetadata = current["metadata"]!.AsObject();
            foreach (var field in ServerOwnedMetadata.Append("namespace"))
            {
                if (currentMetadata[field] is { } value) metadata[field] = value.DeepClone();
                else metadata.Remove(field);
            }
            if (metadata["managedFields"] is null && currentMetadata["managedFields"] is { } managed)
            {
                metadata["managedFields"] = managed.DeepClone();
            }
            CheckFinalizers(type, current, next);
        }
        Admit(request, next, current, statusWrite ? "status" : null);
        KindRules.OnWrite(type, next);
        Validation.MetadataValidation.Validate(type, next);
        if (type.HasGeneration && SpecChanged(type, current, next))
        {
            next["metadata"]!["generation"] = ((long?)current["metadata"]!["generation"] ?? 0) + 1;
        }
        if (JsonNode.DeepEquals(next, current))
        {
            return new ApiResult(200, Present(type, current));
        }
        if (request.DryRun)
        {
            return new ApiResult(200, Present(type, next));
        }
        if (next["metadata"]!["deletionTimestamp"] is not null && Finalizers(next).Count == 0)
        {
            var last = store.Remove(type.StorageKey, request.Namespace ?? "", request.Name!)!;
            AfterWrite(type);
            return new ApiResult(200, Present(type, last));
        }
        var stored = store.Put(type.StorageKey, next);
        AfterWrite(type);
        return new ApiResult(200, Present(type, stored));
    }

    private static void CheckFinalizers(ResourceType type, JsonObject current, JsonObject next)
    {
        if (current["metadata"]!["deletionTimestamp"] is null)
        {
            return;
        }
        var added = Finalizers(next).Except(Finalizers(current)).ToList();
        if (added.Count > 0)
        {
            throw ApiException.Invalid(type.Kind, type.Group, (string?)current["metadata"]!["name"] ?? "", "metadata.finalizers", "FieldValueForbidden",
                $"Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{{{string.Join(", ", added.Select(f => $"\"{f}\""))}}}");
        }
    }

    internal static List<string> Finalizers(JsonObject obj) =>
        [.. (obj["metadata"]?["finalizers"] as JsonArray ?? []).Select(f => (string?)f ?? "")];

    private static bool SpecChanged(ResourceType type, JsonObject current, JsonObject next)
    {
        static JsonObject Strip(JsonObject obj, bool dropStatus)
        {
            var copy = obj.DeepClone().AsObject();
            copy.Remove("metadata");
            copy.Remove("apiVersion");
            copy.Remove("kind");
            if (dropStatus) copy.Remove("status");
            return copy;
        }
        return !JsonNode.DeepEquals(Strip(current, type.HasStatus), Strip(next, type.HasStatus));
    }

    private static string RandomSuffix()
    {
        const string alphabet = "bcdfghjklmnpqrstvwxz2456789";
        return string.Concat(Enumerable.Range(0, 5).Select(_ => alphabet[Random.Shared.Next(alphabet.Length)]));
    }
}
