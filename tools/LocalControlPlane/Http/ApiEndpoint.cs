using System.Text;
using System.Text.Json.Nodes;
using CallImport.LocalControlPlane.Discovery;
using CallImport.LocalControlPlane.Resources;
using CallImport.LocalControlPlane.Tables;
using Microsoft.AspNetCore.Http;

namespace CallImport.LocalControlPlane.Http;

/// <summary>
/// The one HTTP entry point: routes discovery, OpenAPI and resource paths (core, groups, namespaced,
/// cluster-scoped, all-namespaces, subresources) to the handlers and writes errors as Status objects.
/// </summary>
public sealed class ApiEndpoint(ResourceApi api, WatchStream watches, PodLogs logs, TimeProvider time)
{
    // LOCAL_CONTROL_PLANE_TRACE=1 prints every request: the quickest way to see what a client really sends.
    private static readonly bool Trace = Environment.GetEnvironmentVariable("LOCAL_CONTROL_PLANE_TRACE") == "1";

    public async Task HandleAsync(HttpContext context)
    {
        if (Trace)
        {
            await Console.Error.WriteLineAsync($"{DateTime.UtcNow:HH:mm:ss.fff} {context.Request.Method} {context.Request.Path}{context.Request.QueryString} [{context.Request.ContentType}]");
        }
        try
        {
            await RouteAsync(context);
        }
        catch (ApiException error)
        {
            if (!context.Response.HasStarted)
            {
                await WriteAsync(context, error.Code, error.ToStatus(), []);
            }
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away.
        }
        catch (Exception e) when (!context.Response.HasStarted)
        {
            // A bug here must be visible to the client (and the test output), not an empty 500.
            await Console.Error.WriteLineAsync($"local control plane: {context.Request.Method} {context.Request.Path}: {e}");
            await WriteAsync(context, 500, StatusObjects.Failure(500, "InternalError", "an error on the server: " + e.Message), []);
        }
    }

    private async Task RouteAsync(HttpContext context)
    {
        var segments = (context.Request.Path.Value ?? "/").Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        var method = context.Request.Method;
        var catalog = api.Catalog;
        switch (segments)
        {
            case ["version"]:
                await WriteAsync(context, 200, DiscoveryDocuments.Version(), []);
                return;
            case ["healthz" or "readyz" or "livez"]:
                context.Response.ContentType = "text/plain";
                await context.Response.WriteAsync("ok");
                return;
            case ["api"]:
                await WriteAsync(context, 200, DiscoveryDocuments.CoreVersions(), []);
                return;
            case ["api", "v1"]:
                await WriteAsync(context, 200, DiscoveryDocuments.Resources(catalog, "", "v1")!, []);
                return;
            case ["apis"]:
                await WriteAsync(context, 200, DiscoveryDocuments.Groups(catalog), []);
                return;
            case ["apis", var group]:
                await WriteAsync(context, 200, DiscoveryDocuments.Group(catalog, group) ?? throw ApiException.UnknownPath(), []);
                return;
            case ["apis", var group, var version]:
                await WriteAsync(context, 200, DiscoveryDocuments.Resources(catalog, group, version) ?? throw ApiException.UnknownPath(), []);
                return;
            case ["openapi", "v3"]:
                await WriteAsync(context, 200, OpenApiDocuments.Index(catalog), []);
                return;
            case ["openapi", "v3", .. var rest]:
                await WriteAsync(context, 200, OpenApiDocuments.GroupVersion(catalog, string.Join('/', rest)) ?? throw ApiException.UnknownPath(), []);
                return;
            case ["api", "v1", .. var rest]:
                await ResourceAsync(context, method, "", "v1", rest);
                return;
            case ["apis", var group, var version, .. var rest]:
                await ResourceAsync(context, method, group, version, rest);
                return;
            default:
                throw ApiException.UnknownPath();
        }
    }

    private async Task ResourceAsync(HttpContext context, string method, string group, string version, string[] rest)
    {
        string? ns = null;
        string plural;
        string? name;
        string? subresource;
        if (rest is ["namespaces", var n, var p, .. var tail] && !(tail.Length == 0 && p is "status" or "finalize"))
        {
            (ns, plural, name, subresource) = (n, p, tail.ElementAtOrDefault(0), tail.Length > 1 ? string.Join('/', tail[1..]) : null);
        }
        else
        {
            (plural, name, subresource) = (rest[0], rest.ElementAtOrDefault(1), rest.Length > 2 ? string.Join('/', rest[2..]) : null);
        }
        var type = api.Catalog.Find(group, version, plural) ?? throw ApiException.UnknownPath();
        if ((ns is not null && !type.Namespaced) || (ns is null && type.Namespaced && name is not null))
        {
            throw ApiException.UnknownPath();
        }
        if (subresource is not null && !(subresource == "status" && type.HasStatus) && !(subresource == "log" && type.StorageKey == "pods"))
        {
            throw ApiException.UnknownPath();
        }
        var mediaType = MediaType(context.Request.ContentType);
        var body = method is "POST" or "PUT" or "PATCH" or "DELETE" ? await RequestBody.ReadAsync(context.Request, mediaType) : null;
        var request = new ApiRequest
        {
            Type = type,
            Namespace = ns,
            Name = name,
            Subresource = subresource,
            Query = context.Request.Query.ToDictionary(q => q.Key, q => q.Value.ToString()),
            Body = body,
            ContentType = mediaType,
        };
        var asTable = (context.Request.Headers.Accept.ToString()).Contains("as=Table", StringComparison.Ordinal);
        if (subresource == "log")
        {
            await LogAsync(context, request);
            return;
        }
        ApiResult result;
        if (name is null)
        {
            switch (method)
            {
                case "GET" when request.Flag("watch"):
                    await watches.RunAsync(context, request, asTable);
                    return;
                case "GET":
                    var list = api.List(request);
                    result = new ApiResult(200, asTable ? Table(type, list, request) : list);
                    break;
                case "POST" when ns is not null || !type.Namespaced:
                    result = api.Create(request);
                    break;
                case "DELETE":
                    result = api.DeleteCollection(request);
                    break;
                default:
                    throw ApiException.MethodNotAllowed();
            }
        }
        else
        {
            result = method switch
            {
                "GET" => new ApiResult(200, api.Get(request)),
                "PUT" => api.Replace(request),
                "PATCH" => api.Patch(request),
                "DELETE" when subresource is null => api.Delete(request),
                _ => throw ApiException.MethodNotAllowed(),
            };
            if (asTable && method == "GET")
            {
                var single = new JsonObject
                {
                    ["metadata"] = new JsonObject { ["resourceVersion"] = result.Body["metadata"]?["resourceVersion"]?.DeepClone() },
                    ["items"] = new JsonArray(result.Body.DeepClone()),
                };
                result = result with { Body = Table(type, single, request) };
            }
        }
        await WriteAsync(context, result.Code, result.Body, request.Warnings);
    }

    private JsonObject Table(ResourceType type, JsonObject list, ApiRequest request)
    {
        // Stored form (core events) is what the columns read; Present only changes apiVersion for others.
        var items = (list["items"] as JsonArray ?? []).OfType<JsonObject>()
            .Select(o => type.Group == "events.k8s.io" ? EventConversion.ToCore(o) : o);
        var include = request.Query.GetValueOrDefault("includeObject") ?? "";
        return TableBuilder.Build(type, items, (string?)list["metadata"]?["resourceVersion"] ?? "", time.GetUtcNow(), include: TableBuilder.ParseInclude(include));
    }

    private async Task LogAsync(HttpContext context, ApiRequest request)
    {
        if (context.Request.Method != "GET")
        {
            throw ApiException.MethodNotAllowed();
        }
        var pod = api.Get(request);
        var path = logs.PathFor(request.Namespace!, request.Name!);
        context.Response.ContentType = "text/plain";
        if (path is null || !File.Exists(path))
        {
            if ((string?)pod["status"]?["phase"] is "Pending" or null)
            {
                throw ApiException.BadRequest($"container in pod \"{request.Name}\" is waiting to start: ContainerCreating");
            }
            return;
        }
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        await file.CopyToAsync(context.Response.Body, context.RequestAborted);
        if (!request.Flag("follow"))
        {
            return;
        }
        // Follow until the pod has finished (or is gone) and the file holds nothing new.
        var buffer = new byte[8192];
        while (!context.RequestAborted.IsCancellationRequested)
        {
            var read = await file.ReadAsync(buffer, context.RequestAborted);
            if (read > 0)
            {
                await context.Response.Body.WriteAsync(buffer.AsMemory(0, read), context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
                continue;
            }
            var current = api.Store.Get("pods", request.Namespace!, request.Name!);
            if (current is null || (string?)current["status"]?["phase"] is "Succeeded" or "Failed")
            {
                return;
            }
            await Task.Delay(200, context.RequestAborted);
        }
    }

    private static string MediaType(string? contentType) =>
        (contentType ?? "application/json").Split(';')[0].Trim().ToLowerInvariant();

    private static async Task WriteAsync(HttpContext context, int code, JsonNode body, IEnumerable<string> warnings)
    {
        context.Response.StatusCode = code;
        context.Response.ContentType = "application/json";
        foreach (var warning in warnings.Distinct())
        {
            context.Response.Headers.Append("Warning", $"299 - \"{warning.Replace("\"", "\\\"", StringComparison.Ordinal)}\"");
        }
        await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(WireJson.Serialize(body)), context.RequestAborted);
    }
}
