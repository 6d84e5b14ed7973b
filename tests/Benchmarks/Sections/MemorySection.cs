using CallImport.Benchmarks.Framework;

namespace CallImport.Benchmarks.Sections;

/// <summary>
/// Target 5: peak RSS of a separate runner process (its own VmHWM, so no earlier measurement carries over)
/// importing one 1 GiB recording against one 1 MiB recording: media is streamed, so the difference stays small.
/// The 10,000-call import's peak is in the load test.
/// </summary>
public sealed class MemorySection : IBenchSection
{
    public string Id => "memory";
    public string Title => "Memory (target 5)";

    public async Task<BenchSectionResult> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var result = new BenchSectionResult(Id, Title);
        var bigMiB = context.Options.Quick ? 256 : 1024;
        var small = await PeakAsync(context, 1, cancellationToken);
        var big = await PeakAsync(context, bigMiB, cancellationToken);
        result.Figures.Add(new BenchFigure("runner peak RSS, one 1 MiB recording", small, "MiB"));
        result.Figures.Add(new BenchFigure($"runner peak RSS, one {bigMiB} MiB recording", big, "MiB").Against(small, "1 MiB run"));
        result.Figures.Add(new BenchFigure($"  difference ({bigMiB} MiB − 1 MiB)", big - small, "MiB").AtMost(5, "≤ +5 MiB (streamed, never whole in memory)"));
        return result;
    }

    private static async Task<double> PeakAsync(BenchContext context, int mebibytes, CancellationToken cancellationToken)
    {
        var folder = context.NewDirectory($"memory-{mebibytes}");
        await MediaFiles.CreateFileAsync(folder, "recording.mp4", mebibytes * 1024L * 1024);
        var storage = context.NewDirectory("memory-media");
        var database = await context.CreateDatabaseAsync("memory");
        var run = (await context.Runner.RunAsync(MediaFiles.ManualImport(MediaFiles.ManualCredentials(context.WorkDirectory, folder), database, storage, "memory", 1)))
            .Expect(1);
        Directory.Delete(folder, recursive: true);
        Directory.Delete(storage, recursive: true);
        return run.Diagnostic("peakRssMiB");
    }
}
