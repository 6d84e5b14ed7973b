using System.Text;
using CallImport.ImportRunner.Storage;
using CallImport.Testing.Fakes.Gcs;

namespace CallImport.ImportRunner.Tests.Platforms.Manual;

/// <summary>The gs:// folder through the project's storage, against the GCS-compatible server on loopback.</summary>
public sealed class GcsUploadFolderTests
{
    [Fact]
    public async Task GcsFolder_ListsManifestRowsAndStreamsTheRecording()
    {
        await using var gcs = await GcsFake.StartAsync();
        // gs:// URIs reach the endpoint this variable names; only tests of gs:// locations read it.
        Environment.SetEnvironmentVariable(MediaStorageLocation.GcsEndpointVariable, gcs.Endpoint);
        var location = $"gs://callimport-manual-tests/upload-{Guid.NewGuid():N}";
        var storage = MediaStorageLocation.Open(location);

        var recording = Encoding.UTF8.GetBytes(new string('r', 10_000));
        await PutAsync(storage, "calls/a.mp3", recording, "audio/mpeg");
        await PutAsync(storage, "calls/a.mp3.vtt", Encoding.UTF8.GetBytes("WEBVTT\n\n00:01.000 --> 00:02.000\n<v Ann>Hi\n"), "text/vtt");
        await PutAsync(storage, "manifest.csv", Encoding.UTF8.GetBytes("file,title,id\ncalls/a.mp3,From GCS,crm-1\n"), "text/csv");

        using var folder = new UploadFolderFixture();
        var context = folder.Context(location);
        await context.ValidateCredentialsAsync(CancellationToken.None);
        var call = await context.FetchCallAsync(Assert.Single(await folder.ListAsync(context: context)), CancellationToken.None);
        await using var media = await context.OpenMediaAsync(call, CancellationToken.None);
        var transcript = await context.FetchTranscriptAsync(call, CancellationToken.None);

        Assert.Equal("crm-1", call.SourceCallId);
        Assert.Equal("From GCS", call.Title);
        using var copy = new MemoryStream();
        await media!.Content.CopyToAsync(copy);
        Assert.Equal(recording, copy.ToArray());
        Assert.Equal("Ann", Assert.Single(transcript!.Segments).Speaker);
    }

    private static async Task PutAsync(IMediaStorage storage, string name, byte[] content, string type)
    {
        using var stream = new MemoryStream(content);
        await storage.PutAsync(name, stream, type, content.Length, CancellationToken.None);
    }
}
