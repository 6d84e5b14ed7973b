using CallImport.Benchmarks.Framework;

namespace CallImport.Benchmarks.Sections;

/// <summary>
/// Target 6 (operator at scale) and the hardening issue's "API requests per ImportJob" as a `make bench` section.
/// Sizes come from BENCH_OPERATOR_SIZES (default 50,200: 1,000 takes longer than the whole bench may on 2 cores;
/// run <c>BENCH_OPERATOR_SIZES=50,200,1000 make bench BENCH_ARGS="--only operator-scale"</c> for it).
/// </summary>
public sealed class OperatorScaleSection : IBenchSection
{
    public string Id => "operator-scale";
    public string Title => "Operator at scale (local control plane)";

    public async Task<BenchSectionResult> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var sizes = (Environment.GetEnvironmentVariable("BENCH_OPERATOR_SIZES") ?? "50,200")
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(int.Parse).ToArray();
        var figures = await OperatorAtScale.RunAsync(sizes, cap: 50, latencyN: sizes.Max(), idle: TimeSpan.FromSeconds(30));
        var result = new BenchSectionResult(Id, Title);
        foreach (var f in figures)
            result.Figures.Add(new BenchFigure(f.Name, f.Value, f.Unit) { Target = string.IsNullOrEmpty(f.Target) ? null : f.Target });
        result.Notes.Add($"Sizes measured: {string.Join(", ", sizes)} ImportJobs; runs capped at 50 for the requests-per-ImportJob figure.");
        return result;
    }
}
