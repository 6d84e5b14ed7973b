namespace CallImport.ImportJobs;

/// <summary>
/// The part of Kubernetes object metadata an ImportJob's readers need; its own type so that the runner
/// and the operator share it without a Kubernetes client.
/// </summary>
public sealed record ObjectMeta
{
    public string? Name { get; init; }
    public string? Namespace { get; init; }
    public string? Uid { get; init; }
    public string? ResourceVersion { get; init; }
    public long? Generation { get; init; }
    public DateTimeOffset? CreationTimestamp { get; init; }
    public DateTimeOffset? DeletionTimestamp { get; init; }
    public IReadOnlyDictionary<string, string>? Labels { get; init; }
    public IReadOnlyDictionary<string, string>? Annotations { get; init; }
    public IReadOnlyList<string>? Finalizers { get; init; }
    public IReadOnlyList<OwnerReference>? OwnerReferences { get; init; }

    /// <summary>Which clients wrote which fields (server-side apply bookkeeping); read for the audit trail only.</summary>
    public IReadOnlyList<ManagedFieldsEntry>? ManagedFields { get; init; }
}

/// <summary>One entry of <c>metadata.managedFields</c>: the field manager (kubectl, Argo CD, …), the operation and when.</summary>
public sealed record ManagedFieldsEntry
{
    public string? Manager { get; init; }
    public string? Operation { get; init; }
    public DateTimeOffset? Time { get; init; }
    public string? Subresource { get; init; }
}

/// <summary>An owner reference, as Kubernetes writes it in <c>metadata.ownerReferences</c>.</summary>
public sealed record OwnerReference
{
    public required string ApiVersion { get; init; }
    public required string Kind { get; init; }
    public required string Name { get; init; }
    public required string Uid { get; init; }
    public bool? Controller { get; init; }
    public bool? BlockOwnerDeletion { get; init; }
}
