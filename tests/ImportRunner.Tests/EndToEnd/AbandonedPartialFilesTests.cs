using CallImport.ImportRunner.Processing;

namespace CallImport.ImportRunner.Tests.EndToEnd;

/// <summary>
/// A run removes what runs killed mid-write left behind for calls never retried, in its own customer's platform
/// only, once (not per call), and stores its own calls as before.
/// </summary>
public sealed class AbandonedPartialFilesTests
{
    [Fact]
    public async Task ARun_RemovesOldPartialFilesOfItsPlatform_AndLeavesEverythingElse()
    {
        await using var workspace = await RunnerWorkspace.CreateAsync();
        var upload = Directory.CreateDirectory(Path.Combine(workspace.Directory, "upload")).FullName;
        for (var i = 0; i < 3; i++)
            await File.WriteAllBytesAsync(Path.Combine(upload, $"call-{i}.mp3"), new byte[10_000 + i]);
        var longAgo = DateTime.UtcNow.AddHours(-3);
        string Leftover(string platform, string name)
        {
            var folder = Directory.CreateDirectory(Path.Combine(workspace.MediaDirectory, "acme", platform)).FullName;
            var path = Path.Combine(folder, name);
            File.WriteAllBytes(path, [1, 2, 3]);
            File.SetLastWriteTimeUtc(path, longAgo);
            return path;
        }
        // A call deleted at the vendor since a run was killed while writing it; another platform's; a finished recording.
        var abandoned = Leftover("manual", "deleted-at-vendor.mp3@recording.mp3.partial");
        var otherPlatform = Leftover("grain", "some-call@recording.mp3.partial");
        var finished = Leftover("manual", "earlier-call.mp3@recording.mp3");

        using var run = await workspace.RunAsync(workspace.ImportArgs("manual", workspace.WriteCredentials($$"""{"location":"{{upload}}"}""")));

        Assert.True(run.ExitCode == ExitCodes.Success, run.Stderr);
        Assert.Equal(3, await workspace.Database.CountAsync("SELECT count(*) FROM engagements WHERE media_uri IS NOT NULL"));
        Assert.False(File.Exists(abandoned), "the abandoned .partial file is still there");
        Assert.True(File.Exists(otherPlatform), "another platform's .partial file was removed");
        Assert.True(File.Exists(finished), "a stored recording was removed");
        var manual = Directory.GetFiles(Path.Combine(workspace.MediaDirectory, "acme", "manual"));
        Assert.DoesNotContain(manual, f => f.EndsWith(".partial", StringComparison.Ordinal));
        Assert.Equal(4, manual.Length);
    }
}
