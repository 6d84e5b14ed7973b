using System.Globalization;
using System.Text.RegularExpressions;
using Npgsql;

namespace CallImport.Benchmarks.Framework;

/// <summary>
/// Where the time goes, for the closing notes of a missed target: the runner's CPU by binary (perf sampling,
/// when `perf` is installed) and PostgreSQL's statements by total execution time (pg_stat_statements).
/// </summary>
public static partial class Profiler
{
    public static bool PerfAvailable { get; } = File.Exists("/usr/bin/perf") || File.Exists("/usr/local/bin/perf");

    /// <summary>Runs the runner under `perf record` and returns "kernel 37%, libcoreclr 17%, …" (top shares by binary).</summary>
    public static async Task<string?> RunnerCpuByBinaryAsync(BenchContext context, IReadOnlyList<string> runnerArgs)
    {
        if (!PerfAvailable) return null;
        var data = Path.Combine(context.WorkDirectory, $"perf-{Guid.NewGuid():N}.data");
        var record = await ProcessRun.RunAsync("perf", ["record", "-F", "999", "-o", data, "--", .. context.Runner.CommandLine(runnerArgs)],
            TimeSpan.FromMinutes(5), new Dictionary<string, string> { ["DOTNET_PerfMapEnabled"] = "1", ["CALLIMPORT_LOG_FORMAT"] = "json" });
        if (record.ExitCode != 0 || !File.Exists(data)) return null;
        var report = await ProcessRun.RunAsync("perf", ["report", "-i", data, "--no-children", "--sort", "dso", "--stdio"], TimeSpan.FromMinutes(2));
        // The hottest functions too: a kernel share means little until one knows which work it is.
        var symbols = await ProcessRun.RunAsync("perf", ["report", "-i", data, "--no-children", "--sort", "sym", "--stdio", "-g", "none"], TimeSpan.FromMinutes(2));
        File.Delete(data);
        var shares = report.Stdout.Split('\n')
            .Select(line => ShareLine().Match(line)).Where(m => m.Success)
            .Select(m => (Share: double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), Binary: Name(m.Groups[2].Value.Trim())))
            .GroupBy(s => s.Binary).Select(g => (Binary: g.Key, Share: g.Sum(s => s.Share)))
            .OrderByDescending(s => s.Share).Take(7);
        var hottest = symbols.Stdout.Split('\n')
            .Select(line => SymbolLine().Match(line)).Where(m => m.Success && !m.Groups[2].Value.StartsWith("0x", StringComparison.Ordinal))
            .Select(m => (Share: double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), Symbol: m.Groups[2].Value.Trim()))
            .OrderByDescending(s => s.Share).Take(4);
        return string.Join(", ", shares.Select(s => $"{s.Binary} {s.Share:0}%"))
               + "; hottest functions: " + string.Join(", ", hottest.Select(s => $"{s.Symbol}{Meaning(s.Symbol)} {s.Share:0.0}%"));
    }

    /// <summary>What the usual hot kernel functions of the pipeline do.</summary>
    private static string Meaning(string symbol) => symbol switch
    {
        "copy_folio_from_iter_atomic" => " (write(): copying into new page-cache pages)",
        "_copy_to_iter" => " (read(): copying out of the page cache)",
        "finish_task_switch.isra.0" => " (context switches)",
        _ => "",
    };

    /// <summary>The statements PostgreSQL spent most time executing in that database: "mean ms × calls (planned N times) text…".</summary>
    public static async Task<string> TopStatementsAsync(string connectionString, int count = 3)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            SELECT calls, mean_exec_time, plans, total_plan_time, regexp_replace(left(query, 70), '\s+', ' ', 'g') FROM pg_stat_statements
            WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
              AND query NOT ILIKE '%pg_stat_statements%' AND query NOT ILIKE '%bench-probe%'
            ORDER BY total_exec_time DESC LIMIT $1
            """, connection);
        command.Parameters.AddWithValue(count);
        var lines = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            lines.Add($"{reader.GetDouble(1):0.000} ms × {reader.GetInt64(0)} (planned {reader.GetInt64(2)} times, {reader.GetDouble(3):0} ms in all): {reader.GetString(4)}…");
        return string.Join("; ", lines);
    }

    /// <summary>Kernel, the runtime, the JIT, JIT-compiled code, libraries: the names a reader knows.</summary>
    private static string Name(string dso) => dso switch
    {
        "[kernel.kallsyms]" => "kernel (file and socket I/O)",
        "libcoreclr.so" => "runtime (libcoreclr)",
        "libclrjit.so" => "JIT",
        "libcrypto.so.3" => "SHA-256 (libcrypto)",
        _ when dso.StartsWith("[JIT]", StringComparison.Ordinal) || dso.StartsWith("memfd:", StringComparison.Ordinal) || dso.StartsWith("perf-", StringComparison.Ordinal) => "JIT-compiled code",
        _ => dso,
    };

    [GeneratedRegex(@"^\s+([0-9.]+)%\s+(\S.*)$")]
    private static partial Regex ShareLine();

    /// <summary>"  29.69%  [k] copy_folio_from_iter_atomic".</summary>
    [GeneratedRegex(@"^\s+([0-9.]+)%\s+\[[k.]\]\s+(\S+)")]
    private static partial Regex SymbolLine();
}
