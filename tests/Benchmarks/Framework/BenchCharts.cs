using ScottPlot;

namespace CallImport.Benchmarks.Framework;

/// <summary>One PNG per chart name the sections' series use (e.g. throughput over time; request rate against the declared limit).</summary>
public static class BenchCharts
{
    public static IReadOnlyList<string> Write(string directory, string stamp, IEnumerable<BenchSeries> series)
    {
        var written = new List<string>();
        foreach (var chart in series.GroupBy(s => s.Chart))
        {
            var plot = new Plot();
            foreach (var s in chart)
            {
                if (s.Points.Count == 0) continue;
                var line = plot.Add.Scatter(s.Points.Select(p => p.X).ToArray(), s.Points.Select(p => p.Y).ToArray());
                line.LegendText = s.Name;
                line.MarkerSize = 0;
                if (s.Limit is { } limit)
                {
                    var bound = plot.Add.HorizontalLine(limit);
                    bound.LegendText = s.LimitName ?? "limit";
                    bound.LinePattern = LinePattern.Dashed;
                    bound.Color = line.Color;
                }
            }
            plot.Title(chart.Key);
            plot.XLabel("seconds");
            plot.YLabel(chart.First().YUnit);
            plot.ShowLegend(Alignment.LowerRight);
            var file = Path.Combine(directory, $"{stamp}-{Slug(chart.Key)}.png");
            plot.SavePng(file, 1000, 520);
            written.Add(file);
        }
        return written;
    }

    private static string Slug(string text) =>
        string.Concat(text.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-')).Trim('-').Replace("--", "-", StringComparison.Ordinal);
}
