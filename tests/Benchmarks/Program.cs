using System.Diagnostics;
using CallImport.Benchmarks;
using CallImport.Benchmarks.Framework;

// `make bench` (BENCH_ARGS="--quick", "--repeat 3", "--only pipeline,start"): every figure is printed beside a
// baseline measured in the same run on the same machine, or beside its target, because absolute times on a
// shared 2-core machine mean little. Results: bench/results/<timestamp>.json and .md, and PNG charts.
if (args.FirstOrDefault() == CopyBaseline.Verb)
    return await CopyBaseline.MainAsync(args);
var options = BenchOptions.Parse(args);
var loadAtStart = LoadAverage();
var started = DateTimeOffset.UtcNow;
Console.WriteLine($"CallImport benchmarks — {Environment.ProcessorCount} cores, .NET {Environment.Version}, {started:u}{(options.Quick ? " (quick)" : "")}");
await using var context = await BenchContext.CreateAsync(options);
Console.WriteLine($"  runner: {context.Runner.Description}; scratch on {context.FileSystem}; PostgreSQL: {context.Postgres.Description}; load average {loadAtStart}");

var results = new List<BenchSectionResult>();
foreach (var section in BenchSections.All.Where(s => options.Only.Count == 0 || options.Only.Contains(s.Id)))
{
    var clock = Stopwatch.StartNew();
    BenchSectionResult result;
    try
    {
        result = await section.RunAsync(context, CancellationToken.None);
    }
    catch (Exception e)
    {
        // One broken section must not hide the others' numbers.
        result = new BenchSectionResult(section.Id, section.Title) { Error = $"{e.GetType().Name}: {e.Message}" };
        Console.Error.WriteLine(e);
    }
    result.Seconds = clock.Elapsed.TotalSeconds;
    BenchReport.Print(result);
    results.Add(result);
}

var directory = options.ResultsDirectory ?? Path.Combine(context.RepositoryRoot, "bench", "results");
var stamp = started.UtcDateTime.ToString("yyyyMMdd-HHmmss", System.Globalization.CultureInfo.InvariantCulture);
Directory.CreateDirectory(directory);
var charts = BenchCharts.Write(directory, stamp, results.SelectMany(r => r.Series));
var machine = new Dictionary<string, string>
{
    ["cores"] = Environment.ProcessorCount.ToString(System.Globalization.CultureInfo.InvariantCulture),
    [".NET"] = Environment.Version.ToString(),
    ["scratch filesystem"] = context.FileSystem,
    ["runner"] = context.Runner.Description,
    ["mode"] = options.Quick ? "quick" : "full",
    ["repeat"] = options.Repeat.ToString(System.Globalization.CultureInfo.InvariantCulture),
    ["load average at start / end"] = $"{loadAtStart} / {LoadAverage()}",
};
var (json, markdown) = BenchReport.Write(directory, started, machine, results, charts);
Console.WriteLine();
Console.WriteLine($"Results: {json}, {markdown}{string.Concat(charts.Select(c => ", " + c))} ({(DateTimeOffset.UtcNow - started).TotalMinutes:0.0} min)");
return results.Any(r => r.Error is not null) ? 1 : 0;

// Other processes' load moves every wall-clock figure: it is recorded with the results.
static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";
