namespace CallImport.Benchmarks.Framework;

/// <summary>Repeated measurements: the median is the figure, min and max go into its note.</summary>
public static class Samples
{
    public static double Median(IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    public static string Spread(IReadOnlyList<double> values) =>
        values.Count < 2 ? $"1 run" : $"{values.Count} runs, min {BenchFigure.Format(values.Min())}, max {BenchFigure.Format(values.Max())}";
}
