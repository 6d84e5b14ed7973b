using System.Text.Json.Nodes;

namespace CallImport.LocalControlPlane.Resources;

/// <summary>One served resource in one group version: what discovery lists and what the REST handlers obey.</summary>
public sealed record ResourceType
{
    public required string Group { get; init; }
    public required string Version { get; init; }
    public required string Plural { get; init; }
    public required string Singular { get; init; }
    public required string Kind { get; init; }
    public required bool Namespaced { get; init; }
    public IReadOnlyList<string> ShortNames { get; init; } = [];
    public IReadOnlyList<string> Categories { get; init; } = [];

    /// <summary>Whether /status is a separate endpoint (main writes keep status, status writes keep the rest).</summary>
    public bool HasStatus { get; init; }

    /// <summary>Whether metadata.generation is kept (CRs, Jobs, CRDs).</summary>
    public bool HasGeneration { get; init; }

    /// <summary>Defined by a CRD: strategic merge patch refused, PUT needs a resourceVersion, admission runs.</summary>
    public JsonObject? Definition { get; init; }

    /// <summary>Extra field-selector paths (beyond metadata.name/namespace), mapped to JSON paths.</summary>
    public IReadOnlyDictionary<string, string> SelectableFields { get; init; } = new Dictionary<string, string>();

    /// <summary>Storage shared across group versions (events.k8s.io/v1 events live with core/v1 events).</summary>
    public string StorageKey => StorageOverride ?? (Group.Length == 0 ? Plural : $"{Plural}.{Group}");

    public string? StorageOverride { get; init; }

    public bool IsCustom => Definition is not null;

    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    public string GroupVersionPath => Group.Length == 0 ? "api/v1" : $"apis/{Group}/{Version}";

    public bool RequiresResourceVersionOnUpdate => IsCustom || Plural == "leases";

    public IEnumerable<string> Verbs =>
        ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];
}
