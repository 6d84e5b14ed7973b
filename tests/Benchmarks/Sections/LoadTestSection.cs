using System.Diagnostics;
using System.Globalization;
using CallImport.Benchmarks.Framework;
using CallImport.ImportJobs;
using CallImport.Testing.Fakes;
using CallImport.Testing.Fakes.Grain;
using Npgsql;

namespace CallImport.Benchmarks.Sections;

/// <summary>
/// Target 4 (the spec's load test): 10,000 calls with media through the runner from a zero-latency vendor fake
/// (and from a manual folder, the no-HTTP reference), real PostgreSQL, file storage — calls/s, per-call
/// percentiles, CPU per 1,000 calls, SQL statements and HTTP requests per call, peak memory (target 5). Every
/// other platform runs a sample (a few hundred calls) that measures its requests per call in each limit group;
/// from those, under each platform's declared limits, the projected wall time for 10,000 calls against the
/// spec's 5,000 calls per 12 hours and &lt; 30 s per call. A short run against Grain's real limit charts the
/// request rate against it.
/// </summary>
public sealed class LoadTestSection : IBenchSection
{
    private const int Concurrency = 8;
    /// <summary>An ImportJob's default concurrency: the calls in flight the per-call projection assumes.</summary>
    private const int RunnerDefaultConcurrency = ImportJobSpec.DefaultConcurrency;
    private const int ProjectedCalls = 10_000;
    public string Id => "load";
    public string Title => "10,000-call load test (targets 4 and 5)";

    /// <summary>One run of the runner against one source, as measured.</summary>
    private sealed record LoadRun(ILoadSource Source, int Calls, RunnerResult Run, double PostgresCpu, double Statements, IReadOnlyList<FakeRequest>? Traffic)
    {
        public double Rate => Calls / Run.Wall.TotalSeconds;
        public double P99Ms => Run.Diagnostic("callP99Ms");
    }

    public async Task<BenchSectionResult> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var result = new BenchSectionResult(Id, Title);
        var fullCalls = context.Options.Quick ? 2000 : ProjectedCalls;
        var sampleCalls = context.Options.Quick ? 200 : 500;
        var plan = await LoadSources.PlanAsync();
        var runs = new Dictionary<string, LoadRun>(StringComparer.Ordinal);
        foreach (var source in plan.Full)
        {
            var run = await RunAsync(context, source, fullCalls, result, chart: true, cancellationToken);
            runs[source.Platform] = run;
            ReportFull(result, run);
        }
        foreach (var source in plan.Samples)
        {
            var run = await RunAsync(context, source, sampleCalls, result, chart: false, cancellationToken);
            runs[source.Platform] = run;
            ReportSample(result, run);
        }

        Project(result, runs);
        await ChartDeclaredLimitAsync(context, result, cancellationToken);
        return result;
    }

    private static async Task<LoadRun> RunAsync(BenchContext context, ILoadSource source, int calls, BenchSectionResult result, bool chart, CancellationToken cancellationToken)
    {
        await using var fixture = new FixtureScope(await source.StartAsync(context, calls));
        var database = await context.CreateDatabaseAsync("load");
        var storage = context.NewDirectory("load-media");
        var statementsBefore = await BenchContext.StatementsAsync(database);
        var cpuBefore = await context.PostgresCpuSecondsAsync();
        var sampling = chart ? new ThroughputSampler(database, source.Name, result, cancellationToken) : null;
        var run = (await context.Runner.RunAsync(
            [
                "import", "--platform", source.Platform, "--customer", "load", "--credentials-file", fixture.Fixture.CredentialsFile,
                "--from", fixture.Fixture.From.ToString("o", CultureInfo.InvariantCulture), "--to", fixture.Fixture.To.ToString("o", CultureInfo.InvariantCulture),
                "--database", database, "--storage", new Uri(storage).AbsoluteUri, "--concurrency", Concurrency.ToString(CultureInfo.InvariantCulture), "--output", "json",
            ], fixture.Fixture.Environment, TimeSpan.FromMinutes(8))).Expect(calls);
        if (sampling is not null) await sampling.StopAsync();
        await Task.Delay(300, cancellationToken);
        var postgresCpu = await context.PostgresCpuSecondsAsync() - cpuBefore;
        var statements = (await BenchContext.StatementsAsync(database) - statementsBefore) / (double)calls;
        Directory.Delete(storage, recursive: true);
        return new LoadRun(source, calls, run, postgresCpu, statements, fixture.Fixture.Traffic?.Invoke());
    }

    private static void ReportFull(BenchSectionResult result, LoadRun load)
    {
        var (run, calls) = (load.Run, load.Calls);
        result.Figures.Add(new BenchFigure($"calls/s — {load.Source.Name}, {calls} calls, concurrency {Concurrency}", load.Rate, "calls/s")
            { Note = $"{BenchFigure.Format(run.Wall.TotalSeconds)} s wall" });
        result.Figures.Add(new BenchFigure("  per-call p50 / p95 / p99 (ms)", run.Diagnostic("callP50Ms"), "ms")
            { Note = $"p95 {BenchFigure.Format(run.Diagnostic("callP95Ms"))} ms, p99 {BenchFigure.Format(load.P99Ms)} ms" });
        result.Figures.Add(new BenchFigure("  runner CPU per 1,000 calls", run.Diagnostic("cpuSeconds") * 1000 / calls, "s"));
        result.Figures.Add(new BenchFigure("  PostgreSQL CPU per 1,000 calls", load.PostgresCpu * 1000 / calls, "s"));
        result.Figures.Add(new BenchFigure("  SQL statements per call (PostgreSQL's count)", load.Statements, "")
            { Note = $"runner's own count {BenchFigure.Format(run.Diagnostic("sqlStatements") / calls)}; {BenchFigure.Format(calls / run.Diagnostic("callCommits"))} calls per transaction (group commit)" });
        if (load.Traffic is { } traffic)
            result.Figures.Add(new BenchFigure("  HTTP requests per call (the fake's count, listing included)", traffic.Count / (double)calls, "")
                { Note = ByGroup(load) + $"; runner's own count {BenchFigure.Format(run.Diagnostic("httpRequests") / calls)}" });
        result.Figures.Add(new BenchFigure("  runner peak RSS", run.Diagnostic("peakRssMiB"), "MiB").AtMost(200));
    }

    private static void ReportSample(BenchSectionResult result, LoadRun load)
    {
        var (run, calls) = (load.Run, load.Calls);
        result.Figures.Add(new BenchFigure($"HTTP requests per call — {load.Source.Name}, {calls}-call sample", (load.Traffic?.Count ?? 0) / (double)calls, "")
        {
            Note = ByGroup(load) + $"; {BenchFigure.Format(load.Rate)} calls/s, p99 {BenchFigure.Format(load.P99Ms)} ms, " +
                   $"runner CPU {BenchFigure.Format(run.Diagnostic("cpuSeconds") * 1000 / calls)} s per 1,000 calls, peak RSS {BenchFigure.Format(run.Diagnostic("peakRssMiB"))} MiB",
        });
    }

    private static string ByGroup(LoadRun load) =>
        DeclaredLimits.Discover().FirstOrDefault(p => p.Name == load.Source.Platform) is { } platform && load.Traffic is { } traffic
            ? "by limit group: " + RequestsByGroup.Count(platform.Limits, traffic, load.Calls).Describe()
            : "no declared limits";

    /// <summary>
    /// What 10,000 calls take under each platform's declared limits, from its own measured cost per call: per
    /// group, requests per call × 10,000 ÷ the group's rate; the slowest group (or the local pipeline) sets the
    /// pace, a daily cap on the requests in any group adds whole days; a call waits for the requests of the
    /// calls in flight before it in the slowest group.
    /// </summary>
    private static void Project(BenchSectionResult result, IReadOnlyDictionary<string, LoadRun> runs)
    {
        result.Notes.Add($"Projection: each platform's requests per call in each of its declared limit groups, measured on its own fake " +
                         $"(listing, token and credentials check included; {LoadSources.PageSize} per page), × {ProjectedCalls:N0} calls ÷ the group's rate; the slowest group " +
                         $"or the local pipeline (that platform's measured calls/s) sets the wall time, a daily cap on the requests in any group adds a day per cap spent. " +
                         $"Per call: {RunnerDefaultConcurrency} calls in flight (an ImportJob's default concurrency) × the slowest group's seconds per call + the measured p99. " +
                         "Spec: 5,000 calls per 12 h (10,000 in ≤ 24 h), < 30 s per call.");
        foreach (var platform in DeclaredLimits.Discover())
        {
            if (!runs.TryGetValue(platform.Name, out var run))
            {
                result.Notes.Add($"{platform.Name}: no fake in the catalog, so no measured cost per call and no projection.");
                continue;
            }
            var limits = platform.Limits;
            var usage = run.Traffic is { } traffic ? RequestsByGroup.Count(limits, traffic, run.Calls) : null;
            var local = ProjectedCalls / run.Rate;
            var (rateSeconds, bottleneck, secondsPerCall) = (0.0, (string?)null, 0.0);
            foreach (var group in limits.Groups)
            {
                var perCall = usage?.PerCall(group.Name) ?? 0;
                var seconds = ProjectedCalls * perCall / group.RequestsPerSecond;
                if (seconds > rateSeconds) (rateSeconds, bottleneck, secondsPerCall) = (seconds, group.Name, perCall / group.RequestsPerSecond);
            }
            var arithmetic = bottleneck is null
                ? $"no request in a declared limit; local pipeline {BenchFigure.Format(local)} s"
                : $"{bottleneck}: {BenchFigure.Format(usage!.PerCall(bottleneck))} requests per call × {ProjectedCalls:N0} ÷ {BenchFigure.Format(limits.Group(bottleneck)!.RequestsPerSecond)}/s = {BenchFigure.Format(rateSeconds / 3600)} h" +
                  $" (local pipeline {BenchFigure.Format(local)} s)";
            var (days, lastDayShare) = (1.0, 1.0);
            if (limits.RequestsPerDay is { } perDay && usage is not null)
            {
                var daily = ProjectedCalls * usage.LimitedPerCall;
                days = Math.Max(1, Math.Ceiling(daily / perDay));
                // Each full day spends the cap; the last day carries the rest at the pace the groups allow.
                if (days > 1) lastDayShare = (daily - (days - 1) * perDay) / daily;
                arithmetic += $"; daily cap: {BenchFigure.Format(usage.LimitedPerCall)} requests per call × {ProjectedCalls:N0} = {daily:N0} of {perDay:N0}/day" +
                              (days > 1 ? $" → {days:0} days" : " → fits one day");
            }
            var hours = ((days - 1) * 86_400 + Math.Max(rateSeconds, local) * lastDayShare) / 3600;
            var perCallSeconds = run.P99Ms / 1000 + RunnerDefaultConcurrency * secondsPerCall;
            var limitsText = limits.Groups.Count == 0 ? "no rate limit" : platform.Groups;
            result.Figures.Add(new BenchFigure($"projected wall time for 10,000 calls — {platform.Name} ({limitsText})", hours, "h")
                { Note = arithmetic }.AtMost(24, "≤ 24 h (5,000 per 12 h)"));
            result.Figures.Add(new BenchFigure($"  projected time per call under that limit — {platform.Name}", perCallSeconds, "s")
            {
                Note = bottleneck is null ? $"p99 {BenchFigure.Format(run.P99Ms)} ms"
                    : $"{RunnerDefaultConcurrency} in flight × {BenchFigure.Format(secondsPerCall)} s of {bottleneck} per call + p99 {BenchFigure.Format(run.P99Ms / 1000)} s",
            }.AtMost(30, "< 30 s"));
            if (usage is { Disagreements.Count: > 0 })
                result.Notes.Add($"{platform.Name}: the runner's limit groups differ from the vendor's: {string.Join("; ", usage.Disagreements)}.");
        }
    }

    /// <summary>Grain's declared limit (30 requests per 20 s) against the fake enforcing it: the request rate, charted.</summary>
    private static async Task ChartDeclaredLimitAsync(BenchContext context, BenchSectionResult result, CancellationToken cancellationToken)
    {
        var seconds = context.Options.Quick ? 25 : 45;
        await using var fake = await GrainFake.StartAsync(new GrainFakeOptions { RecordingCount = 300, RateLimit = GrainFakeRateLimit.Observed }, cancellationToken);
        var credentials = Path.Combine(context.WorkDirectory, "grain-limited.json");
        await File.WriteAllTextAsync(credentials, fake.CredentialsJson(), cancellationToken);
        var database = await context.CreateDatabaseAsync("limited");
        var started = DateTimeOffset.UtcNow;
        await context.Runner.RunAsync(
        [
            "import", "--platform", "grain", "--customer", "limited", "--credentials-file", credentials,
            "--from", "2026-01-01T00:00:00Z", "--to", "2026-02-01T00:00:00Z", "--database", database,
            "--storage", new Uri(context.NewDirectory("limited-media")).AbsoluteUri, "--output", "json",
            "--stop-at", started.AddSeconds(seconds).ToString("o", CultureInfo.InvariantCulture),
        ], null, TimeSpan.FromSeconds(seconds + 120));
        var arrivals = fake.Traffic.Arrivals;
        if (arrivals.Count == 0) { result.Notes.Add("The declared-limit run sent no request."); return; }
        var limit = GrainFakeRateLimit.Observed;
        var origin = arrivals[0];
        var points = new List<(double, double)>();
        for (var t = 0.0; t <= (arrivals[^1] - origin).TotalSeconds; t += 0.25)
        {
            var at = origin.AddSeconds(t);
            points.Add((t, arrivals.Count(a => a <= at && a > at - limit.Window)));
        }
        result.Series.Add(new BenchSeries("Request rate against the declared limit (Grain)", $"requests in the trailing {limit.Window.TotalSeconds:0} s", "requests", points)
            { Limit = limit.Requests, LimitName = $"declared: {limit.Requests} per {limit.Window.TotalSeconds:0} s" });
        result.Figures.Add(new BenchFigure($"Grain under its declared limit: most requests in any {limit.Window.TotalSeconds:0} s", fake.Traffic.MaxRequestsIn(limit.Window), "")
            .AtMost(limit.Requests));
        result.Figures.Add(new BenchFigure("  answered 429", fake.Traffic.Responses(429), ""));
    }

    /// <summary>Calls settled per second, from the store, every half second while the runner works.</summary>
    private sealed class ThroughputSampler
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _loop;

        public ThroughputSampler(string database, string name, BenchSectionResult result, CancellationToken cancellationToken)
        {
            _loop = Task.Run(async () =>
            {
                var points = new List<(double, double)>();
                await using var dataSource = NpgsqlDataSource.Create(database);
                var clock = Stopwatch.StartNew();
                var (lastTime, lastCount) = (0.0, 0L);
                while (!_stop.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
                {
                    try { await Task.Delay(500, _stop.Token); } catch (OperationCanceledException) { }
                    await using var command = dataSource.CreateCommand("SELECT count(*) /* bench-probe */ FROM import_calls WHERE state <> 'pending'");
                    var count = (long)(await command.ExecuteScalarAsync(CancellationToken.None))!;
                    var now = clock.Elapsed.TotalSeconds;
                    if (count > 0 || lastCount > 0) points.Add((now, (count - lastCount) / (now - lastTime)));
                    (lastTime, lastCount) = (now, count);
                }
                lock (result) result.Series.Add(new BenchSeries("Throughput over time (load test)", name, "calls/s", points));
            }, CancellationToken.None);
        }

        public async Task StopAsync()
        {
            await _stop.CancelAsync();
            await _loop;
        }
    }

    private sealed class FixtureScope(LoadFixture fixture) : IAsyncDisposable
    {
        public LoadFixture Fixture { get; } = fixture;
        public ValueTask DisposeAsync() => Fixture.Resources?.DisposeAsync() ?? ValueTask.CompletedTask;
    }
}
