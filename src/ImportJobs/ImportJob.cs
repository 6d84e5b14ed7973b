namespace CallImport.ImportJobs;

/// <summary>The ImportJob custom resource: what a support engineer asked for (spec) and how it is going (status).</summary>
public sealed record ImportJob
{
    public string ApiVersion { get; init; } = ImportJobResource.ApiVersion;
    public string Kind { get; init; } = ImportJobResource.Kind;
    public ObjectMeta Metadata { get; init; } = new();
    public required ImportJobSpec Spec { get; init; }
    public ImportJobStatus? Status { get; init; }
}
