using System.Globalization;
using System.Text;
using System.Text.Json;

namespace CallImport.Benchmarks.Framework;

/// <summary>Prints each section's figures beside their baselines and targets, and writes bench/results/&lt;timestamp&gt;.json and .md.</summary>
public static class BenchReport
{
    public static void Print(BenchSectionResult section)
    {
        Console.WriteLine();
        Console.WriteLine($"== {section.Title} ({section.Seconds:0} s)");
        if (section.Error is { } error) Console.WriteLine($"  FAILED: {error}");
        foreach (var f in section.Figures)
            Console.WriteLine($"  {f.Name,-58} {Value(f),14}  {Reference(f),-38} {Verdict(f)}");
        foreach (var note in section.Notes) Console.WriteLine($"  note: {note}");
    }

    public static (string Json, string Markdown) Write(string directory, DateTimeOffset started, IReadOnlyDictionary<string, string> machine,
        IReadOnlyList<BenchSectionResult> sections, IReadOnlyList<string> charts)
    {
        Directory.CreateDirectory(directory);
        var stamp = started.UtcDateTime.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        var json = Path.Combine(directory, stamp + ".json");
        File.WriteAllText(json, JsonSerializer.Serialize(new
        {
            startedAt = started,
            machine,
            sections = sections.Select(s => new
            {
                id = s.Id, title = s.Title, seconds = s.Seconds, error = s.Error, notes = s.Notes,
                figures = s.Figures.Select(f => new { name = f.Name, value = f.Value, unit = f.Unit, baseline = f.Baseline, baselineName = f.BaselineName, target = f.Target, met = f.Met, note = f.Note }),
                series = s.Series.Select(x => new { chart = x.Chart, name = x.Name, unit = x.YUnit, limit = x.Limit, points = x.Points.Select(p => new[] { p.X, p.Y }) }),
            }),
            charts = charts.Select(Path.GetFileName),
        }, new JsonSerializerOptions { WriteIndented = true }));

        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"# CallImport benchmarks, {started:yyyy-MM-dd HH:mm} UTC").AppendLine();
        md.AppendLine(string.Join(", ", machine.Select(m => $"{m.Key}: {m.Value}"))).AppendLine();
        foreach (var s in sections)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"## {s.Title}").AppendLine();
            if (s.Error is { } error) md.AppendLine(CultureInfo.InvariantCulture, $"**Failed:** {error}").AppendLine();
            md.AppendLine("| figure | value | baseline / target | met |").AppendLine("|---|---:|---|---|");
            foreach (var f in s.Figures)
                md.AppendLine(CultureInfo.InvariantCulture, $"| {f.Name} | {Value(f)} | {Reference(f)} | {Verdict(f)} |");
            md.AppendLine();
            foreach (var note in s.Notes) md.AppendLine(CultureInfo.InvariantCulture, $"- {note}");
            if (s.Notes.Count > 0) md.AppendLine();
        }
        foreach (var chart in charts) md.AppendLine(CultureInfo.InvariantCulture, $"![{Path.GetFileNameWithoutExtension(chart)}]({Path.GetFileName(chart)})").AppendLine();
        var markdown = Path.ChangeExtension(json, ".md");
        File.WriteAllText(markdown, md.ToString());
        return (json, markdown);
    }

    private static string Value(BenchFigure f) => $"{BenchFigure.Format(f.Value)} {f.Unit}".TrimEnd();

    private static string Reference(BenchFigure f)
    {
        var parts = new List<string>();
        if (f.Baseline is { } b)
            parts.Add($"{f.BaselineName ?? "baseline"} {BenchFigure.Format(b)}" + (b != 0 ? $" ({f.Value / b:0.00}×)" : ""));
        if (f.Target is { } t) parts.Add("target " + t);
        if (f.Note is { } n) parts.Add(n);
        return string.Join("; ", parts);
    }

    private static string Verdict(BenchFigure f) => f.Met switch { true => "ok", false => "MISSED", null => "" };
}
