namespace CallImport.ImportJobs;

/// <summary>The ImportJob resource's identity: group, version, kind and plural as served by the API server.</summary>
public static class ImportJobResource
{
    public const string Group = "callimport.io";
    public const string Version = "v1alpha1";
    public const string ApiVersion = Group + "/" + Version;
    public const string Kind = "ImportJob";
    public const string Plural = "importjobs";
    public const string RetryAnnotation = "callimport.io/retry-requested-at";
}
