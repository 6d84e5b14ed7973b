using System.Diagnostics;
using System.Globalization;
using CallImport.Benchmarks.Framework;
using CallImport.Testing.Fakes.Grain;
using Npgsql;

namespace CallImport.Benchmarks.Sections;

/// <summary>
/// Target 4 (the spec's load test): 10,000 calls through the runner from zero-latency sources, real PostgreSQL,
/// file storage — calls/s, per-call percentiles, CPU per 1,000 calls, SQL statements and HTTP requests per call,
/// peak memory (target 5) — then, under each platform's declared limits, the projected wall time for 10,000
/// calls against the spec's 5,000 calls per 12 hours and &lt; 30 s per call. A short run against Grain's real
/// limit charts the request rate against it.
/// </summary>
public sealed class LoadTestSection : IBenchSection
{
    private const int Concurrency = 8;
    public string Id => "load";
    public string Title => "10,000-call load test (targets 4 and 5)";

    public async Task<BenchSectionResult> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var result = new BenchSectionResult(Id, Title);
        var calls = context.Options.Quick ? 2000 : 10_000;
        double? measuredRequestsPerCall = null;
        double localCallsPerSecond = 0, localP99 = 0;
        foreach (var source in await LoadSources.DiscoverAsync())
        {
            await using var fixture = new FixtureScope(await source.StartAsync(context, calls));
            var database = await context.CreateDatabaseAsync("load");
            var storage = context.NewDirectory("load-media");
            var statementsBefore = await BenchContext.StatementsAsync(database);
            var cpuBefore = await context.PostgresCpuSecondsAsync();
            var sampling = SampleThroughputAsync(database, source.Name, result, cancellationToken);
            var run = (await context.Runner.RunAsync(
                [
                    "import", "--platform", source.Platform, "--customer", "load", "--credentials-file", fixture.Fixture.CredentialsFile,
                    "--from", fixture.Fixture.From.ToString("o", CultureInfo.InvariantCulture), "--to", fixture.Fixture.To.ToString("o", CultureInfo.InvariantCulture),
                    "--database", database, "--storage", new Uri(storage).AbsoluteUri, "--concurrency", Concurrency.ToString(CultureInfo.InvariantCulture), "--output", "json",
                ], fixture.Fixture.Environment, TimeSpan.FromMinutes(8))).Expect(calls);
            await sampling.StopAsync();
            await Task.Delay(300, cancellationToken);
            var postgresCpu = await context.PostgresCpuSecondsAsync() - cpuBefore;
            var statements = (await BenchContext.StatementsAsync(database) - statementsBefore) / (double)calls;
            var rate = calls / run.Wall.TotalSeconds;
            var who = $"{source.Name}, {calls} calls, concurrency {Concurrency}";
            result.Figures.Add(new BenchFigure($"calls/s — {who}", rate, "calls/s"));
            result.Figures.Add(new BenchFigure("  per-call p50 / p95 / p99 (ms)", run.Diagnostic("callP50Ms"), "ms")
                { Note = $"p95 {BenchFigure.Format(run.Diagnostic("callP95Ms"))} ms, p99 {BenchFigure.Format(run.Diagnostic("callP99Ms"))} ms" });
            result.Figures.Add(new BenchFigure("  runner CPU per 1,000 calls", run.Diagnostic("cpuSeconds") * 1000 / calls, "s"));
            result.Figures.Add(new BenchFigure("  PostgreSQL CPU per 1,000 calls", postgresCpu * 1000 / calls, "s"));
            result.Figures.Add(new BenchFigure("  SQL statements per call (PostgreSQL's count)", statements, "")
                { Note = $"runner's own count {BenchFigure.Format(run.Diagnostic("sqlStatements") / calls)}; {BenchFigure.Format(calls / run.Diagnostic("callCommits"))} calls per transaction (group commit)" });
            if (fixture.Fixture.HasHttp)
            {
                var perCall = fixture.Fixture.RequestsServed() / (double)calls;
                result.Figures.Add(new BenchFigure("  HTTP requests per call (the fake's count, listing included)", perCall, ""));
                measuredRequestsPerCall ??= perCall;
            }
            result.Figures.Add(new BenchFigure("  runner peak RSS", run.Diagnostic("peakRssMiB"), "MiB").AtMost(200));
            if (rate > localCallsPerSecond) (localCallsPerSecond, localP99) = (rate, run.Diagnostic("callP99Ms"));
            Directory.Delete(storage, recursive: true);
        }

        Project(result, measuredRequestsPerCall ?? 3, measuredRequestsPerCall is null, localCallsPerSecond, localP99);
        await ChartDeclaredLimitAsync(context, result, cancellationToken);
        return result;
    }

    /// <summary>What 10,000 calls take under each platform's declared limits, from the measured cost per call.</summary>
    private static void Project(BenchSectionResult result, double requestsPerCall, bool assumed, double localCallsPerSecond, double localP99Ms)
    {
        const int calls = 10_000;
        result.Notes.Add($"Projection: {BenchFigure.Format(requestsPerCall)} requests per call ({(assumed ? "assumed" : "measured on the first HTTP fake, listing included; assumed the same for the others")}), " +
                         $"concurrency 4, the local pipeline at {BenchFigure.Format(localCallsPerSecond)} calls/s; spec: 5,000 calls per 12 h (10,000 in ≤ 24 h), < 30 s per call.");
        foreach (var platform in DeclaredLimits.Discover())
        {
            var requests = calls * requestsPerCall;
            var byRate = double.IsInfinity(platform.RequestsPerSecond) ? 0 : requests / platform.RequestsPerSecond;
            var days = platform.RequestsPerDay is { } perDay ? Math.Ceiling(requests / perDay) : 1;
            var hours = (Math.Max(byRate, calls / Math.Max(1, localCallsPerSecond)) + (days - 1) * 86_400) / 3600;
            var perCallSeconds = localP99Ms / 1000 + (double.IsInfinity(platform.RequestsPerSecond) ? 0 : 4 * requestsPerCall / platform.RequestsPerSecond);
            var limits = $"{(double.IsInfinity(platform.RequestsPerSecond) ? "no rate limit" : platform.Groups)}" +
                         (platform.RequestsPerDay is { } d ? $", {d:N0}/day" : "");
            result.Figures.Add(new BenchFigure($"projected wall time for 10,000 calls — {platform.Name} ({limits})", hours, "h").AtMost(24, "≤ 24 h (5,000 per 12 h)"));
            result.Figures.Add(new BenchFigure($"  projected time per call under that limit — {platform.Name}", perCallSeconds, "s").AtMost(30, "< 30 s"));
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
    private static ThroughputSampler SampleThroughputAsync(string database, string name, BenchSectionResult result, CancellationToken cancellationToken) =>
        new(database, name, result, cancellationToken);

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
