using System.Text.Json.Nodes;
using CallImport.LocalControlPlane.Resources;

namespace CallImport.LocalControlPlane.Http;

/// <summary>A request resolved against the catalog: which type, where, and with what options.</summary>
public sealed class ApiRequest
{
    public required ResourceType Type { get; init; }
    public string? Namespace { get; init; }
    public string? Name { get; init; }
    public string? Subresource { get; init; }
    public required IReadOnlyDictionary<string, string> Query { get; init; }
    public JsonNode? Body { get; init; }
    public string ContentType { get; init; } = "application/json";

    /// <summary>Warning headers to send with the response.</summary>
    public List<string> Warnings { get; } = [];

    public string? Param(string name) => Query.TryGetValue(name, out var value) ? value : null;

    public bool Flag(string name) => Param(name) is "true" or "1";

    public bool DryRun => Param("dryRun") == "All";

    public string FieldValidation => Param("fieldValidation") is { Length: > 0 } v ? v : "Warn";
}

/// <summary>What a handler answers: a status code and a JSON body.</summary>
public sealed record ApiResult(int Code, JsonNode Body);
