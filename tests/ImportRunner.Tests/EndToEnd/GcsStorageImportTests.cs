using CallImport.ImportRunner.Processing;
using CallImport.ImportRunner.Storage;
using CallImport.Testing.Fakes.Gcs;

namespace CallImport.ImportRunner.Tests.EndToEnd;

/// <summary>The runner process storing media in gs:// through the GCS-compatible server, as in a cluster.</summary>
public sealed class GcsStorageImportTests
{
    [Fact]
    public async Task ManualUploadToGcs_StoresEachRecordingUnderItsCallAndRecordsTheUri()
    {
        await using var gcs = await GcsFake.StartAsync();
        await using var workspace = await RunnerWorkspace.CreateAsync();
        var upload = Directory.CreateDirectory(Path.Combine(workspace.Directory, "upload")).FullName;
        var recordings = new Dictionary<string, byte[]>();
        for (var i = 0; i < 5; i++)
        {
            var bytes = new byte[3 * 1024 * 1024 + i];
            new Random(i).NextBytes(bytes);
            recordings[$"call {i}.m4a"] = bytes;
            await File.WriteAllBytesAsync(Path.Combine(upload, $"call {i}.m4a"), bytes);
        }
        var args = workspace.ImportArgs("manual", workspace.WriteCredentials($$"""{"location":"{{upload}}"}"""))
            .Select(a => a == new Uri(workspace.MediaDirectory).AbsoluteUri ? "gs://media-bucket/imports" : a).ToList();
        var environment = new Dictionary<string, string>(RunnerWorkspace.FastFakeEnvironment) { [MediaStorageLocation.GcsEndpointVariable] = gcs.Endpoint };

        using var runner = await workspace.RunAsync(args, environment);

        Assert.True(runner.ExitCode == ExitCodes.Success, runner.Stderr);
        foreach (var (name, bytes) in recordings)
        {
            var objectName = $"imports/acme/manual/{Uri.EscapeDataString(name)}/recording.m4a";
            Assert.Equal(bytes, gcs.ReadObject("media-bucket", objectName));
            Assert.Equal(1, await workspace.Database.CountAsync("SELECT count(*) FROM engagements WHERE media_uri = $1", $"gs://media-bucket/{objectName}"));
        }
        Assert.True(gcs.Traffic.UploadSessions >= 5);
    }
}
