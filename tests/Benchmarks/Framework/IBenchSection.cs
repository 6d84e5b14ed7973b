namespace CallImport.Benchmarks.Framework;

/// <summary>
/// One part of `make bench`: it measures, and returns named figures, each beside its baseline or target, plus
/// any series to chart and a closing note (what limits a missed target). Add a section by writing one class
/// and one line in <see cref="BenchSections.All"/>.
/// </summary>
public interface IBenchSection
{
    /// <summary>Short, stable: a key in the results file (e.g. "pipeline", "limiter", "operator-scale").</summary>
    string Id { get; }

    /// <summary>A heading for people.</summary>
    string Title { get; }

    Task<BenchSectionResult> RunAsync(BenchContext context, CancellationToken cancellationToken);
}

/// <summary>
/// A measured figure. <see cref="Baseline"/> is a same-run reference (same work without the product);
/// <see cref="Target"/> a goal from the issue, with <see cref="Met"/> saying whether the figure reached it.
/// </summary>
public sealed record BenchFigure(string Name, double Value, string Unit)
{
    public double? Baseline { get; init; }
    public string? BaselineName { get; init; }
    /// <summary>Human form of the goal, e.g. "≥ 0.8× baseline", "≤ 0.3 s".</summary>
    public string? Target { get; init; }
    public bool? Met { get; init; }
    public string? Note { get; init; }

    /// <summary>A figure that must be at least <paramref name="minimum"/>.</summary>
    public BenchFigure AtLeast(double minimum, string? target = null) => this with { Target = target ?? $"≥ {Format(minimum)} {Unit}".TrimEnd(), Met = Value >= minimum };

    /// <summary>A figure that must be at most <paramref name="maximum"/>.</summary>
    public BenchFigure AtMost(double maximum, string? target = null) => this with { Target = target ?? $"≤ {Format(maximum)} {Unit}".TrimEnd(), Met = Value <= maximum };

    public BenchFigure Against(double baseline, string name) => this with { Baseline = baseline, BaselineName = name };

    public static string Format(double value) => value switch
    {
        0 => "0",
        >= 100 or <= -100 => value.ToString("0", System.Globalization.CultureInfo.InvariantCulture),
        >= 10 or <= -10 => value.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture),
        >= 0.1 or <= -0.1 => value.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture),
        _ => value.ToString("0.0000", System.Globalization.CultureInfo.InvariantCulture),
    };
}

/// <summary>Points to chart: x in seconds from the start of what was measured. <see cref="Limit"/> draws a horizontal line.</summary>
public sealed record BenchSeries(string Chart, string Name, string YUnit, IReadOnlyList<(double X, double Y)> Points)
{
    public double? Limit { get; init; }
    public string? LimitName { get; init; }
}

public sealed record BenchSectionResult(string Id, string Title)
{
    public List<BenchFigure> Figures { get; } = [];
    public List<BenchSeries> Series { get; } = [];
    /// <summary>What limits a missed target, how it was profiled, caveats.</summary>
    public List<string> Notes { get; } = [];
    public double Seconds { get; set; }
    public string? Error { get; set; }
}
