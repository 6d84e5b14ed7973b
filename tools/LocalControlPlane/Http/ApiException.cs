using System.Text.Json.Nodes;

namespace CallImport.LocalControlPlane.Http;

/// <summary>A failed request, carried up to the endpoint which writes it as a Kubernetes Status.</summary>
public sealed class ApiException(int code, string reason, string message, JsonObject? details = null) : Exception(message)
{
    public int Code { get; } = code;
    public string Reason { get; } = reason;
    public JsonObject? Details { get; } = details;

    public JsonObject ToStatus() => StatusObjects.Failure(Code, Reason, Message, Details?.DeepClone().AsObject());

    public static ApiException NotFound(string group, string plural, string name) =>
        new(404, "NotFound", $"{Qualified(plural, group)} \"{name}\" not found", DetailsOf(name, group, plural));

    public static ApiException AlreadyExists(string group, string plural, string name) =>
        new(409, "AlreadyExists", $"{Qualified(plural, group)} \"{name}\" already exists", DetailsOf(name, group, plural));

    public static ApiException Conflict(string group, string plural, string name, string? why = null) =>
        new(409, "Conflict", $"Operation cannot be fulfilled on {Qualified(plural, group)} \"{name}\": "
            + (why ?? "the object has been modified; please apply your changes to the latest version and try again"),
            DetailsOf(name, group, plural));

    public static ApiException BadRequest(string message) => new(400, "BadRequest", message);

    public static ApiException UnknownPath() => new(404, "NotFound", "the server could not find the requested resource");

    public static ApiException MethodNotAllowed() =>
        new(405, "MethodNotAllowed", "the server does not allow this method on the requested resource", new JsonObject());

    public static ApiException Expired(long requested, long oldest) =>
        new(410, "Expired", $"too old resource version: {requested} ({oldest})");

    /// <summary>422 Invalid: one cause prints bare, several print in brackets, as the real apiserver does.</summary>
    public static ApiException Invalid(string kind, string group, string name, IReadOnlyList<(string Reason, string Message, string Field)> causes)
    {
        var texts = causes.Select(c => string.IsNullOrEmpty(c.Field) ? c.Message : $"{c.Field}: {c.Message}").ToList();
        var joined = texts.Count == 1 ? texts[0] : "[" + string.Join(", ", texts) + "]";
        var qualifiedKind = string.IsNullOrEmpty(group) ? kind : $"{kind}.{group}";
        var details = DetailsOf(name, group, kind);
        var array = new JsonArray();
        foreach (var c in causes)
        {
            array.Add(new JsonObject { ["reason"] = c.Reason, ["message"] = c.Message, ["field"] = c.Field });
        }
        details["causes"] = array;
        return new ApiException(422, "Invalid", $"{qualifiedKind} \"{name}\" is invalid: {joined}", details);
    }

    public static ApiException Invalid(string kind, string group, string name, string field, string reason, string message) =>
        Invalid(kind, group, name, [(reason, message, field)]);

    private static string Qualified(string plural, string group) => string.IsNullOrEmpty(group) ? plural : $"{plural}.{group}";

    private static JsonObject DetailsOf(string name, string group, string kind)
    {
        var details = new JsonObject { ["name"] = name };
        if (!string.IsNullOrEmpty(group))
        {
            details["group"] = group;
        }
        details["kind"] = kind;
        return details;
    }
}
