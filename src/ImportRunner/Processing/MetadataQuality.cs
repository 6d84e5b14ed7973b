namespace CallImport.ImportRunner.Processing;

/// <summary>How complete an engagement's metadata is, as stored in <c>engagements.metadata_quality</c>.</summary>
public static class MetadataQuality
{
    public const string Full = "full";
    public const string Partial = "partial";
    public const string Minimal = "minimal";
}
