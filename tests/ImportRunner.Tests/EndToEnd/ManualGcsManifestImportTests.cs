using System.Text;
using CallImport.ImportRunner.Processing;
using CallImport.ImportRunner.Storage;
using CallImport.Testing.Fakes.Gcs;

namespace CallImport.ImportRunner.Tests.EndToEnd;

/// <summary>
/// The runner process (as it ships: native AOT) reading a manual upload from a gs:// folder with a CSV manifest and a
/// sidecar transcript: Google's client (reflection over its request and data classes), the CSV reader and the
/// manifest's metadata all on the path a pod takes.
/// </summary>
public sealed class ManualGcsManifestImportTests
{
    [Fact]
    public async Task GcsUploadFolderWithCsvManifest_ImportsEachRowWithItsMetadataAndTranscript()
    {
        await using var gcs = await GcsFake.StartAsync();
        await using var workspace = await RunnerWorkspace.CreateAsync();
        var upload = $"upload-{Guid.NewGuid():N}";
        var kickoff = Encoding.UTF8.GetBytes(new string('k', 200_000));
        var followup = Encoding.UTF8.GetBytes(new string('f', 50_000));
        gcs.PutObject("upload-bucket", $"{upload}/2026/jan/kickoff.mp3", kickoff, "audio/mpeg");
        gcs.PutObject("upload-bucket", $"{upload}/2026/jan/kickoff.mp3.vtt", Encoding.UTF8.GetBytes("WEBVTT\n\n00:01.000 --> 00:02.000\n<v Dana>Hello\n"), "text/vtt");
        gcs.PutObject("upload-bucket", $"{upload}/2026/jan/followup.m4a", followup, "audio/mp4");
        // A spreadsheet's export: ';' separated, a quoted title with the separator in it.
        gcs.PutObject("upload-bucket", $"{upload}/manifest.csv", Encoding.UTF8.GetBytes("""
            file;title;start_time;duration;participants;id
            2026/jan/kickoff.mp3;"Kickoff; with Acme";2026-01-05T14:30:00Z;1830;Dana Scully <dana@acme.com>;crm-42
            2026/jan/followup.m4a;Follow-up;2026-01-12T09:00:00Z;00:45:10;;
            """), "text/csv");
        var credentials = workspace.WriteCredentials($$"""{"location":"gs://upload-bucket/{{upload}}"}""");
        var environment = new Dictionary<string, string>(RunnerWorkspace.FastFakeEnvironment) { [MediaStorageLocation.GcsEndpointVariable] = gcs.Endpoint };

        using var runner = await workspace.RunAsync(workspace.ImportArgs("manual", credentials), environment);

        Assert.True(runner.ExitCode == ExitCodes.Success, runner.Stderr);
        var summary = RunnerWorkspace.Summary(runner);
        Assert.Equal((2, 0), (summary.Processed, summary.Failed));
        Assert.Equal(1, await workspace.Database.CountAsync(
            "SELECT count(*) FROM engagements WHERE source_call_id = 'crm-42' AND title = 'Kickoff; with Acme' AND duration_seconds = 1830"
            + " AND started_at = '2026-01-05T14:30:00Z' AND participants @> '[{\"email\":\"dana@acme.com\"}]' AND transcript IS NOT NULL"));
        Assert.Equal(1, await workspace.Database.CountAsync(
            "SELECT count(*) FROM engagements WHERE source_call_id = '2026/jan/followup.m4a' AND title = 'Follow-up' AND duration_seconds = 2710 AND transcript IS NULL"));
        var stored = Directory.EnumerateFiles(workspace.MediaDirectory, "*", SearchOption.AllDirectories).Select(File.ReadAllBytes).ToList();
        Assert.Equal(2, stored.Count);
        Assert.Contains(stored, bytes => bytes.AsSpan().SequenceEqual(kickoff));
    }
}
