using System.Text.Json.Nodes;
using CallImport.LocalControlPlane.Http;
using CallImport.LocalControlPlane.Storage;

namespace CallImport.LocalControlPlane.Resources;

/// <summary>
/// The REST semantics of every resource, independent of HTTP: the object lifecycle rules of the real
/// apiserver (server-set metadata, resourceVersion checks, status split, generation, finalizers).
/// Split over partial files by verb family.
/// </summary>
public sealed partial class ResourceApi(ObjectStore store, ResourceCatalog catalog, ICustomResourceAdmission admission, TimeProvider time)
{
    public ObjectStore Store => store;

    public ResourceCatalog Catalog => catalog;

    private DateTimeOffset Now => time.GetUtcNow();

    /// <summary>The stored object as this type's group version shows it.</summary>
    public static JsonObject Present(ResourceType type, JsonObject stored)
    {
        if (type.Group == "events.k8s.io")
        {
            return EventConversion.ToNew(stored);
        }
        var copy = stored.DeepClone().AsObject();
        copy["apiVersion"] = type.ApiVersion;
        copy["kind"] = type.Kind;
        return copy;
    }

    /// <summary>An incoming body in storage form, with kind and apiVersion defaulted from the URL.</summary>
    private static JsonObject Accept(ResourceType type, JsonNode? body)
    {
        if (body is not JsonObject obj)
        {
            throw ApiException.BadRequest("the request body must be a JSON object");
        }
        if ((string?)obj["kind"] is { Length: > 0 } kind && kind != type.Kind)
        {
            throw ApiException.BadRequest($"the kind \"{kind}\" of the body does not match the resource \"{type.Plural}\" (kind \"{type.Kind}\")");
        }
        var copy = type.Group == "events.k8s.io" ? EventConversion.ToCore(obj) : obj.DeepClone().AsObject();
        copy["apiVersion"] = type.Group == "events.k8s.io" ? "v1" : type.ApiVersion;
        copy["kind"] = type.Kind;
        if (copy["metadata"] is not JsonObject)
        {
            copy["metadata"] = new JsonObject();
        }
        return copy;
    }

    private JsonObject Existing(ApiRequest request) =>
        store.Get(request.Type.StorageKey, request.Namespace ?? "", request.Name!)
            ?? throw ApiException.NotFound(request.Type.Group, request.Type.Plural, request.Name!);

    private void RequireNamespace(ApiRequest request)
    {
        if (request.Type.Namespaced && store.Get(BuiltInTypes.Namespaces.StorageKey, "", request.Namespace!) is null)
        {
            throw ApiException.NotFound("", "namespaces", request.Namespace!);
        }
    }

    private void AfterWrite(ResourceType type)
    {
        if (type.StorageKey == "customresourcedefinitions.apiextensions.k8s.io")
        {
            RebuildCatalog();
        }
    }

    /// <summary>Serves the kinds of the current CRDs; objects of a kind no longer served go with their CRD.</summary>
    public void RebuildCatalog()
    {
        lock (store.Gate)
        {
            catalog.Rebuild(store.List("customresourcedefinitions.apiextensions.k8s.io", null));
            foreach (var (key, obj) in store.All().Where(e => catalog.FindByStorage(e.StorageKey) is null))
            {
                store.Remove(key, (string?)obj["metadata"]?["namespace"] ?? "", (string?)obj["metadata"]?["name"] ?? "");
            }
        }
    }

    private void Admit(ApiRequest request, JsonObject obj, JsonObject? old, string? subresource)
    {
        var type = request.Type;
        if (type.Definition is null)
        {
            return;
        }
        var name = (string?)obj["metadata"]?["name"] ?? "";
        var result = admission.Admit(type.Definition, type.Version, obj, old, subresource, request.FieldValidation);
        if (result.Causes.Count > 0)
        {
            throw ApiException.Invalid(type.Kind, type.Group, name, [.. result.Causes.Select(c => (c.Reason, c.Message, c.Field))]);
        }
        if (request.FieldValidation == "Strict" && result.UnknownFields.Count > 0)
        {
            var fields = string.Join(", ", result.UnknownFields.Select(f => $"unknown field \"{f}\""));
            throw ApiException.BadRequest($"{type.Kind} in version \"{type.Version}\" cannot be handled as a {type.Kind}: strict decoding error: {fields}");
        }
        request.Warnings.AddRange(result.Warnings);
    }
}
