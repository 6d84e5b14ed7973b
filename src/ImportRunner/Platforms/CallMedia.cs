namespace CallImport.ImportRunner.Platforms;

/// <summary>An open recording. The processor streams <see cref="Content"/> to storage and disposes it.</summary>
public sealed class CallMedia(Stream content, string contentType, long? length, string fileExtension) : IAsyncDisposable
{
    public Stream Content { get; } = content;
    public string ContentType { get; } = contentType;
    /// <summary>The length the source announced, checked against what was stored.</summary>
    public long? Length { get; } = length;
    /// <summary>With the dot, e.g. ".mp4".</summary>
    public string FileExtension { get; } = fileExtension;

    public ValueTask DisposeAsync() => Content.DisposeAsync();
}
