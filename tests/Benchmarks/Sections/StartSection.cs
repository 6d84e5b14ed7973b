using CallImport.Benchmarks.Framework;

namespace CallImport.Benchmarks.Sections;

/// <summary>
/// Target 3: a runner invocation that imports nothing (an empty upload folder), wall time from exec to exit,
/// with the exceptions it threw and the statements it sent; `--help` (runtime start, no work) is the floor.
/// </summary>
public sealed class StartSection : IBenchSection
{
    public string Id => "start";
    public string Title => "Start (target 3)";

    public async Task<BenchSectionResult> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var result = new BenchSectionResult(Id, Title);
        var runs = Math.Max(5, context.Options.Repeat);
        var empty = context.NewDirectory("empty-upload");
        var credentials = MediaFiles.ManualCredentials(context.WorkDirectory, empty);
        var database = await context.CreateDatabaseAsync("start");
        var storage = context.NewDirectory("start-media");

        var help = new List<double>();
        var walls = new List<double>();
        var exceptions = new List<double>();
        var cpu = new List<double>();
        var statements = new List<double>();
        await context.Runner.RunAsync(["--help"]); // warm the disk cache, as a pod's second start would be
        for (var i = 0; i < runs; i++)
        {
            help.Add((await context.Runner.RunAsync(["--help"])).Wall.TotalSeconds);
            var before = await BenchContext.StatementsAsync(database);
            var run = (await context.Runner.RunAsync(MediaFiles.ManualImport(credentials, database, storage, $"start{i}", 4))).Expect(0);
            walls.Add(run.Wall.TotalSeconds);
            exceptions.Add(run.Diagnostic("exceptionsThrown"));
            cpu.Add(run.Diagnostic("cpuSeconds"));
            statements.Add(await BenchContext.StatementsAsync(database) - before);
        }
        var floor = Samples.Median(help);
        result.Figures.Add(new BenchFigure("runner --help (runtime start, no work)", floor, "s") { Note = Samples.Spread(help) });
        result.Figures.Add(new BenchFigure("runner import of nothing, exec to exit", Samples.Median(walls), "s") { Note = Samples.Spread(walls) }
            .Against(floor, "--help").AtMost(0.3));
        result.Figures.Add(new BenchFigure("  CPU of that start (steady under load: wall time is not)", Samples.Median(cpu), "s") { Note = Samples.Spread(cpu) });
        result.Figures.Add(new BenchFigure("exceptions thrown on that normal path", exceptions.Max(), "").AtMost(0, "0"));
        result.Figures.Add(new BenchFigure("SQL statements of a start (no migration checks)", Samples.Median(statements), ""));
        result.Notes.Add($"Runner: {context.Runner.Description}.");
        return result;
    }
}
