using System.Diagnostics;
using System.Globalization;
using CallImport.Benchmarks.Framework;
using CallImport.ImportRunner.Limits;
using CallImport.ImportRunner.Platforms;
using CallImport.Testing;
using CallImport.Testing.Fakes;
using CallImport.Testing.Fakes.Grain;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace CallImport.Benchmarks.Sections;

/// <summary>
/// Target 2: the limiter at any rate. The real <see cref="RequestLimiter"/> under each declared limit shape of
/// the discovered platforms and a sweep of rates from 0.01 to 100,000 requests/s: the largest count in any
/// window (≤ the limit) and the share of the limit used (≥ 95%). Then through the real HTTP pipeline against a
/// counting server: the declared limit; an undeclared lower limit the server enforces with 429s (≤ 2% answered
/// 429, ≥ 85% of that limit used); two limiters sharing one credential through PostgreSQL; and the runner at
/// 100,000 requests/s (the rate that once deadlocked it).
/// </summary>
public sealed class LimitsSection : IBenchSection
{
    /// <summary>Windows longer than this are measured scaled down to it (same permits): the slack is the same 2% share.</summary>
    private static readonly TimeSpan LongestMeasuredWindow = TimeSpan.FromSeconds(2);
    private const string Chart = "Request rate against the declared limit (limiter bench)";
    /// <summary>The slack of 1-s windows (GroupWindowSettings.ShortestSlack): a waiter woken later than this loses its slot.</summary>
    private static readonly TimeSpan ShortestSlack = TimeSpan.FromMilliseconds(10);
    /// <summary>
    /// The light parts' real-clock drives start this far apart. Started together, every row's waiters were due in the same
    /// millisecond each window (~100 timers, ~80 pool work items queued at once): a GC pause then, plus the queue's tail,
    /// woke the last of them past the 10-ms slack, and every row lost or moved a slot at once (measured: ProcessStallProbe).
    /// Apart (41 ms: no two rows' bursts, nor their cold-start holds 300 ms on, share a millisecond), each burst is one row's.
    /// </summary>
    private static readonly TimeSpan StartSpacing = TimeSpan.FromMilliseconds(41);
    private ProcessStallProbe? _probe;
    private bool _lightParts;
    private int _starts;
    private static long _requestIds;

    public string Id => "limits";
    public string Title => "Rate limits at any rate (target 2)";

    public async Task<BenchSectionResult> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var result = new BenchSectionResult(Id, Title);
        var quick = context.Options.Quick;
        // Enough windows for several whole windows at steady state once the first (start-up) window is left out.
        var windows = quick ? 5 : 9;
        // The light parts at once (timers and a few dozen requests a second each): the section's wall time is
        // the longest of them (the undeclared limit's run), not their sum. Each writes its own figures, merged in order.
        var light = new Func<BenchSectionResult, Task>[]
        {
            r => DeclaredShapesAsync(r, windows, cancellationToken),
            r => RatesAsync(r, [0.01, 0.1], windows, cancellationToken),
            r => RatesAsync(r, [1, 10, 100, 1_000], windows, cancellationToken),
            r => ThroughHttpAsync(r, windows, cancellationToken),
            r => UndeclaredLowerLimitAsync(r, quick, cancellationToken),
            r => SharedCredentialAsync(context, r, quick, cancellationToken),
        };
        var parts = light.Select(_ => new BenchSectionResult(Id, Title)).ToArray();
        // A late window is the limiter's or the process's: the probe says whether the process stalled, when, and how
        // (summed up for the light parts; it goes on through the heavy rates for their rows' details).
        using var probe = _probe = ProcessStallProbe.Start();
        (_lightParts, _starts) = (true, 0);
        // Light and timing-sensitive: raised above the neighbours' builds, whose CPU otherwise stalls the whole process
        // past the slack now and then (measured: see RaisedPriority); back to the ordinary priority for the heavy rates.
        using (var priority = context.Options.OrdinaryPriority ? null : RaisedPriority.Raise())
        {
            await Task.WhenAll(light.Select((run, i) => run(parts[i])));
            parts[^1].Notes.Add($"Light parts {priority?.Description ?? "at the ordinary priority (--ordinary-priority)"}, their real-clock rows started {StartSpacing.TotalMilliseconds:0} ms apart. " + probe.Summary(ShortestSlack));
        }
        _lightParts = false;
        foreach (var part in parts)
        {
            result.Figures.AddRange(part.Figures);
            result.Series.AddRange(part.Series);
            result.Notes.AddRange(part.Notes);
        }
        await StalledProcessAsync(result, cancellationToken);
        // The heavy rates alone, each with the machine to itself.
        await RatesAsync(result, [10_000], windows, cancellationToken);
        await RatesAsync(result, [100_000], windows, cancellationToken);
        await RunnerAtTopRateAsync(context, result, cancellationToken);
        result.Notes.Add("Share of the limit used (steady state) = whole windows' worth of requests ÷ what the limit allows in the time they took, " +
                         "from the first request a window after the start (the start-up burst and the cold-start spare slot left out) by a client that always has more requests waiting than the limit allows; " +
                         "the time is taken from every request of the first window's worth to the one m windows' worth later and averaged (the mean time of the first and of the last window's worth), " +
                         "so a slot left unused costs a limit-th of a window, not the gap to the next burst. " +
                         "Its ceiling is window ÷ (window + 2 × slack) (GroupWindowSettings.Slack: 98% from 1-s windows up); windows under a second keep the same absolute slack and use less of their limit (correct, not a target). " +
                         "A late slot (its waiter woken after the slack) moves to when it woke if every window still holds at most the limit there, else it is left unused.");
        return result;
    }

    /// <summary>Every distinct limit group the discovered platforms declare, all at once, in real time.</summary>
    private async Task DeclaredShapesAsync(BenchSectionResult result, int windows, CancellationToken cancellationToken)
    {
        var catalog = ImportContextCatalog.Discover();
        var shapes = catalog.Platforms.Select(catalog.Get)
            .SelectMany(f => f.Limits.Groups.Select(g => (Platform: f.Platform, Group: g)))
            .GroupBy(s => (s.Group.PermitLimit, s.Group.Window))
            .Select(g => (Names: string.Join(", ", g.Select(s => $"{s.Platform} {s.Group.Name}").Distinct()), g.First().Group))
            .OrderBy(s => s.Group.RequestsPerSecond)
            .ToList();
        var scaled = new List<string>();
        var runs = shapes.Select(async shape =>
        {
            var measured = shape.Group.Window > LongestMeasuredWindow ? new LimitGroup(shape.Group.Name, shape.Group.PermitLimit, LongestMeasuredWindow) : shape.Group;
            if (measured != shape.Group) lock (scaled) scaled.Add($"{shape.Group.PermitLimit}/{Seconds(shape.Group.Window)}");
            await StaggerAsync(cancellationToken);
            var drive = await DriveAsync(measured, TimeProvider.System, measured.Window * windows + measured.Window / 4, concurrency: 8, cancellationToken);
            return (shape.Names, shape.Group, measured, drive);
        }).ToList();
        foreach (var (names, declared, measured, drive) in await Task.WhenAll(runs))
        {
            var label = $"{declared.PermitLimit} per {Seconds(declared.Window)} ({names}){(measured != declared ? $", measured as {measured.PermitLimit} per {Seconds(measured.Window)}" : "")}";
            AddWindowFigures(result, label, measured, drive.Grants, drive: drive);
        }
        if (scaled.Count > 0)
            result.Notes.Add($"Declared windows over {Seconds(LongestMeasuredWindow)} ({string.Join(", ", scaled)}) are measured scaled down to {Seconds(LongestMeasuredWindow)} with the same permits, " +
                             "to keep the section short; the limiter's rule and its 1% slack are the same at any window from 1 s up (the fake-clock tests run them at full length).");
    }

    /// <summary>Plain rates (an ImportJob's requestsPerSecond), all at once; under 1/s on a fake clock (1 per 100 s would take minutes).</summary>
    private async Task RatesAsync(BenchSectionResult result, double[] rates, int windows, CancellationToken cancellationToken)
    {
        var runs = rates.Select(async rate =>
        {
            var group = LimitGroup.FromRate("job", rate);
            // Where the client itself may be what limits (a few microseconds of CPU per request on a shared 2-core
            // machine): what it can do with no limit, measured just before, is the ceiling its use is also shown against.
            double? ceiling = rate >= 10_000 ? await ClientCeilingAsync(null, 16, TimeSpan.FromSeconds(2), cancellationToken) : null;
            // The limiter's own cost per grant: the same client under a limit it never reaches (every grant takes the lock, logs the slot;
            // a window long enough to need no cold-start hold).
            double? throughput = rate >= 10_000 ? await ClientCeilingAsync(new LimitGroup("unreached", int.MaxValue, TimeSpan.FromMinutes(1)), 16, TimeSpan.FromSeconds(2), cancellationToken) : null;
            if (rate >= 1) await StaggerAsync(cancellationToken);
            var clock = Stopwatch.StartNew();
            var drive = rate < 1
                ? await DriveOnFakeClockAsync(group, new FakeTimeProvider(DateTimeOffset.UtcNow), group.Window * windows + group.Window / 4, cancellationToken)
                : await DriveAsync(group, TimeProvider.System, group.Window * windows + group.Window / 4, concurrency: 16, cancellationToken);
            return (rate, group, drive, clock.Elapsed, ceiling, throughput);
        }).ToList();
        foreach (var (rate, group, drive, elapsed, ceiling, throughput) in await Task.WhenAll(runs))
        {
            AddWindowFigures(result, rate < 1
                    ? $"{rate.ToString(CultureInfo.InvariantCulture)} requests/s = {group.PermitLimit} per {Seconds(group.Window)} (fake clock)"
                    : $"{rate.ToString("N0", CultureInfo.InvariantCulture)} requests/s = {group.PermitLimit:N0} per {Seconds(group.Window)}",
                group, drive.Grants, rate < 1 ? null : $"{drive.Grants.Count:N0} grants in {elapsed.TotalSeconds:0.0} s", drive);
            if (ceiling is not { } most || throughput is not { } grants) continue;
            result.Figures.Add(new BenchFigure("  the bench's client with no limit (16 waiters, same loop, 2 s just before)", most, "requests/s")
                with { Note = $"{most / group.RequestsPerSecond:0.00}× the limit" });
            result.Figures.Add(new BenchFigure("  the same through the limiter at a limit it never reaches (its cost per grant)", grants, "requests/s")
                with { Note = $"{grants / group.RequestsPerSecond:0.00}× the limit; {1e6 / grants:0.00} µs per grant of wall time on this machine" });
            if (WindowUse.Steady(drive.Grants, group) is { } used)
                result.Figures.Add(new BenchFigure("  requests/s sent (steady state) ÷ that ceiling", 100 * used.Share * group.RequestsPerSecond / most, "%")
                    with { Note = "near 100% would mean the client, not the limiter, set the pace" });
        }
    }

    /// <summary>Grain's 30 per 20 s (scaled to 30 per 2 s) through the real HTTP pipeline against the fake enforcing it.</summary>
    private async Task ThroughHttpAsync(BenchSectionResult result, int windows, CancellationToken cancellationToken)
    {
        var declared = new LimitGroup("overall", 30, LongestMeasuredWindow);
        await using var fake = await GrainFake.StartAsync(new GrainFakeOptions { RateLimit = new GrainFakeRateLimit(declared.PermitLimit, declared.Window) }, cancellationToken);
        var (sent, statistics, _) = await SendAsync(fake, new PlatformLimits([declared]), null, declared.Window * windows + declared.Window / 4, cancellationToken);
        var arrivals = fake.Log.Requests.Select(r => r.At).ToList();
        AddWindowFigures(result, $"through HTTP: Grain 30 per 20 s measured as 30 per {Seconds(declared.Window)}, the fake's arrivals", declared, arrivals,
            $"{sent} requests, {statistics.Throttled} throttled");
        result.Figures.Add(new BenchFigure("  answered 429", fake.Traffic.Responses(429), "").AtMost(0));
        Chart_(result, "declared 30 per 2 s (Grain, scaled)", arrivals, declared);
    }

    /// <summary>Declared 30 per 1 s; the server allows only 20 per 1 s and says so with 429 + Retry-After.</summary>
    private static async Task UndeclaredLowerLimitAsync(BenchSectionResult result, bool quick, CancellationToken cancellationToken)
    {
        var declared = new LimitGroup("overall", 30, TimeSpan.FromSeconds(1));
        var real = new LimitGroup("overall", 20, TimeSpan.FromSeconds(1));
        await using var fake = await GrainFake.StartAsync(new GrainFakeOptions { RateLimit = new GrainFakeRateLimit(real.PermitLimit, real.Window) }, cancellationToken);
        // Long enough that learning the limit (the requests in flight when the first refusal comes back, and its
        // Retry-After) is not the whole story; the first probe above the learned limit comes after 30 windows.
        var duration = TimeSpan.FromSeconds(quick ? 30 : 60);
        var (_, _, learned) = await SendAsync(fake, new PlatformLimits([declared]), null, duration, cancellationToken);
        var requests = fake.Log.Requests;
        var refused = requests.Count(r => r.Status == 429);
        var admitted = requests.Where(r => r.Status != 429).Select(r => r.At).Order().ToList();
        result.Figures.Add(new BenchFigure($"undeclared lower limit (declared 30/s, server 20/s, {duration.TotalSeconds:0} s): share answered 429", 100.0 * refused / Math.Max(1, requests.Count), "%")
            .AtMost(2) with { Note = $"{refused} of {requests.Count} requests; limit learned by the end: {learned} per 1 s" });
        var used = WindowUse.WholeRun(admitted, real);
        result.Figures.Add(new BenchFigure("  share of the server's 20/s used (whole run, learning included)", 100 * (used?.Share ?? 0), "%").AtLeast(85)
            with { Note = used is null ? "too few requests" : $"{used.Requests} admitted requests in {used.Span.TotalSeconds:0.00} s" });
        result.Figures.Add(new BenchFigure("  most admitted requests in any 1 s", FakeTrafficLog.MaxInAnyWindow(admitted, real.Window), "").AtMost(real.PermitLimit));
        Chart_(result, "declared 30 per 1 s, server allows 20 (429s)", [.. requests.Select(r => r.At)], real);
    }

    /// <summary>
    /// Two limiters (two processes' worth) on one credential, their windows in PostgreSQL, against one counting server.
    /// The server is a fake in this same process: when the process stalls, it stamps requests that left on time as they
    /// are finally run, bunched together. So each request's departure (when its first byte was written to its
    /// connection, <see cref="DepartureRecorder"/>) is recorded too, and the windows are counted both ways.
    /// </summary>
    private async Task SharedCredentialAsync(BenchContext context, BenchSectionResult result, bool quick, CancellationToken cancellationToken)
    {
        var group = new LimitGroup("overall", 8, TimeSpan.FromSeconds(1));
        await using var fake = await GrainFake.StartAsync(new GrainFakeOptions { RateLimit = new GrainFakeRateLimit(group.PermitLimit, group.Window) }, cancellationToken);
        await using var database = NpgsqlDataSource.Create(await context.CreateDatabaseAsync("limits"));
        var duration = TimeSpan.FromSeconds(quick ? 8 : 15);
        DepartureRecorder[] recorders = [new(), new()];
        var both = await Task.WhenAll(recorders.Select(r => SendAsync(fake, new PlatformLimits([group]), database, duration, cancellationToken, r)));
        var departures = recorders.SelectMany((r, i) => r.Entries.Select(e => (Limiter: i + 1, Entry: e))).OrderBy(d => d.Entry.DepartedAt).ToList();
        var arrivals = fake.Log.Requests.OrderBy(r => r.At).ToList();
        var left = FakeTrafficLog.MaxInAnyWindow(departures.Select(d => d.Entry.DepartedAt), group.Window);
        var stamped = FakeTrafficLog.MaxInAnyWindow(arrivals.Select(a => a.At), group.Window);
        const string label = "two limiters on one credential through PostgreSQL, 8 per 1 s";
        var latest = departures.Count == 0 ? TimeSpan.Zero : departures.Max(d => d.Entry.DepartedAt - d.Entry.SlotAt);
        // Negative: left before its slot as this process mapped it from the database's clock.
        var earliest = departures.Count == 0 ? TimeSpan.Zero : departures.Min(d => d.Entry.DepartedAt - d.Entry.SlotAt);
        // The network's share of the slack: departures a slack apart more than the window may still arrive in one window.
        var jittered = group.Window + ShortestSlack;
        var leftJittered = FakeTrafficLog.MaxInAnyWindow(departures.Select(d => d.Entry.DepartedAt), jittered);
        // The limiters' plan: the slots of the requests sent, in any window. Not in the kept window (window + 2 slacks): the
        // plan puts bursts exactly a kept window apart, and each process maps the database's slots with its own clock offset,
        // so two bursts land a few microseconds inside one kept window and count together (12–13 in every run measured).
        var planned = FakeTrafficLog.MaxInAnyWindow(departures.Select(d => d.Entry.SlotAt), group.Window);
        // Judged where the limiter answers for it, where the requests left: the fake runs in this process and stamps a
        // request when this process gets to run it, after a stall that is later than it arrived (see the README's limits paragraph).
        result.Figures.Add(new BenchFigure($"{label}: most requests in any window as they left (departures)", left, "").AtMost(group.PermitLimit) with
        {
            Note = string.Create(CultureInfo.InvariantCulture, $"{both[0].Sent} + {both[1].Sent} requests, {departures.Count} departures; in any {Seconds(jittered)} (the window + a slack for the network): {leftJittered}; ") +
                   string.Create(CultureInfo.InvariantCulture, $"their slots in any {Seconds(group.Window)}: {planned}; after its slot: latest {latest.TotalMilliseconds:0.0} ms, earliest {earliest.TotalMilliseconds:0.0} ms; ") +
                   $"not sent on a slot they reached their connection too late for (new slot taken): {both.Sum(b => b.Statistics.NotSentLate)}" +
                   (left > group.PermitLimit ? "; " + CrowdedDepartures(departures, group.Window)
                    : leftJittered > group.PermitLimit ? $"; in {Seconds(jittered)}, " + CrowdedDepartures(departures, jittered) : ""),
        });
        // Beside the judged figure, and judged too unless only the fake's stamps pass the limit (the note then says how far behind they were).
        var agrees = stamped <= group.PermitLimit || left > group.PermitLimit;
        var stamps = new BenchFigure("  the same at the server's arrivals (the in-process fake's stamps)", stamped, "");
        result.Figures.Add((agrees ? stamps.AtMost(group.PermitLimit) : stamps) with { Note = stamped == left ? "agrees with the departures" : StampsBehind(departures, arrivals, group) });
        var used = WindowUse.Steady(departures.Select(d => d.Entry.DepartedAt), group);
        // The limiters slow down at each 429 (as they must): where the fake refused on stamps that disagree with the departures, what they used is the fake's doing.
        var share = new BenchFigure("  share of the limit used (steady state, departures)", 100 * (used?.Share ?? 0), "%");
        var shareNote = used is null ? "fewer than two windows' worth after the first window" : $"{used.Windows} windows' worth ({used.Requests:N0} requests) in {Seconds(used.Span)}";
        result.Figures.Add(agrees ? share.AtLeast(95) with { Note = shareNote } : share with { Note = shareNote + "; not judged: the limiters slowed down at the fake's 429s, counted on its late stamps" });
        // The fake refuses on its own stamps: a 429 only counts against the limiter when those stamps agree with the departures.
        var refused = new BenchFigure("  answered 429", fake.Traffic.Responses(429), "");
        result.Figures.Add(agrees ? refused.AtMost(0) : refused with { Note = "counted by the fake on its stamps, which disagree with the departures (above)" });
    }

    /// <summary>The requests of the most crowded window, as they left: which limiter, slot and departure (ms into that window).</summary>
    private static string CrowdedDepartures(List<(int Limiter, DepartureLog.Entry Entry)> departures, TimeSpan window)
    {
        var crowded = Crowded(departures, d => d.Entry.DepartedAt, window);
        var origin = crowded[0].Entry.DepartedAt;
        return $"the {crowded.Count} in one window (limiter: slot / left, ms into it): " +
               string.Join(", ", crowded.Select(d => string.Create(CultureInfo.InvariantCulture, $"{d.Limiter}: {(d.Entry.SlotAt - origin).TotalMilliseconds:0.0} / {(d.Entry.DepartedAt - origin).TotalMilliseconds:0.0}")));
    }

    /// <summary>
    /// Where the fake's count and the departures disagree: the fake's most crowded window, how long after it left each of
    /// its requests was stamped (the request's path is its own), and what the stall probe saw over the worst of them.
    /// </summary>
    private string StampsBehind(List<(int Limiter, DepartureLog.Entry Entry)> departures, List<FakeRequest> arrivals, LimitGroup group)
    {
        var crowded = Crowded(arrivals, a => a.At, group.Window);
        var lags = crowded
            .Select(a => (Arrival: a, Left: departures.Where(d => d.Entry.Path.EndsWith("/" + a.Path, StringComparison.Ordinal) && d.Entry.DepartedAt <= a.At)
                .Select(d => (DateTimeOffset?)d.Entry.DepartedAt).LastOrDefault()))
            .Where(l => l.Left is not null)
            .Select(l => (l.Arrival, Left: l.Left!.Value, Lag: l.Arrival.At - l.Left!.Value))
            .ToList();
        if (lags.Count == 0) return "disagrees with the departures; no departure matched its requests";
        var worst = lags.MaxBy(l => l.Lag);
        var origin = departures[0].Entry.DepartedAt;
        var stalls = _probe?.Between(worst.Left, worst.Arrival.At) ?? [];
        return string.Create(CultureInfo.InvariantCulture, $"disagrees with the departures: fake stamps stalled up to {worst.Lag.TotalMilliseconds:0.0} ms behind the departures in its most crowded window ") +
               string.Create(CultureInfo.InvariantCulture, $"({crowded.Count} stamped within {Seconds(group.Window)}, stamped after they left by {string.Join(", ", lags.Select(l => $"{l.Lag.TotalMilliseconds:0.0}"))} ms; the worst left at +{(worst.Left - origin).TotalSeconds:0.00} s); ") +
               "process stalls then: " + (stalls.Count == 0 ? $"none ≥ {ProcessStallProbe.Kept.TotalMilliseconds:0} ms" : string.Join(", ", stalls.Take(3).Select(s => s.Describe(origin))));
    }

    /// <summary>The items of the first window of <paramref name="window"/> (half-open) holding the most of them.</summary>
    private static List<T> Crowded<T>(List<T> ordered, Func<T, DateTimeOffset> at, TimeSpan window)
    {
        var (bestFirst, bestCount) = (0, 0);
        for (int first = 0, last = 0; last < ordered.Count; last++)
        {
            while (at(ordered[last]) - at(ordered[first]) >= window) first++;
            if (last - first + 1 > bestCount) (bestFirst, bestCount) = (first, last - first + 1);
        }
        return ordered.GetRange(bestFirst, bestCount);
    }

    /// <summary>The runner process at 100,000 requests/s (CALLIMPORT_PLATFORM_RPS_OVERRIDE): it must import, not hang.</summary>
    private static async Task RunnerAtTopRateAsync(BenchContext context, BenchSectionResult result, CancellationToken cancellationToken)
    {
        const int recordings = 300;
        await using var fake = await GrainFake.StartAsync(new GrainFakeOptions { RecordingCount = recordings, PageSize = 50 }, cancellationToken);
        var credentials = Path.Combine(context.WorkDirectory, "grain-top-rate.json");
        await File.WriteAllTextAsync(credentials, fake.CredentialsJson(), cancellationToken);
        var database = await context.CreateDatabaseAsync("toprate");
        var run = await context.Runner.RunAsync(
        [
            "import", "--platform", "grain", "--customer", "top-rate", "--credentials-file", credentials,
            "--from", "2026-01-01T00:00:00Z", "--to", "2026-02-01T00:00:00Z", "--database", database,
            "--storage", new Uri(context.NewDirectory("top-rate-media")).AbsoluteUri, "--output", "json", "--concurrency", "8",
        ], new Dictionary<string, string> { ["CALLIMPORT_PLATFORM_RPS_OVERRIDE"] = "100000" }, TimeSpan.FromSeconds(120));
        var imported = run.Summary is { } summary && summary.TryGetProperty("processed", out var processed) ? processed.GetInt32() : 0;
        result.Figures.Add(new BenchFigure($"runner at 100,000 requests/s (shared budget in PostgreSQL): calls imported of {recordings}", imported, "")
            .AtLeast(recordings, $"= {recordings} (no deadlock)") with { Note = $"exit {run.ExitCode}, {run.Wall.TotalSeconds:0.0} s, {fake.Traffic.TotalRequests} requests served" });
        if (run.Wall.TotalSeconds > 0)
            result.Figures.Add(new BenchFigure("  requests/s reached", fake.Traffic.TotalRequests / run.Wall.TotalSeconds, "requests/s"));
    }

    /// <summary>
    /// What a stalled process costs a saturated client: on a clock moved only once every waiter is parked, to the next due
    /// timer exactly, and every 2 s (30 a minute, as measured at load 11–19 on this machine) 60 ms past it instead (50 ms past
    /// the 10-ms slack), as a GC pause or CPU-quota throttling would. Every request goes exactly when the limiter lets it, so
    /// the share used shows what late wakes cost, nothing else (without stalls: 98%, the slack's ceiling).
    /// </summary>
    private static async Task StalledProcessAsync(BenchSectionResult result, CancellationToken cancellationToken)
    {
        var stallEvery = TimeSpan.FromSeconds(2);
        var stall = TimeSpan.FromMilliseconds(60);
        foreach (var (permits, names) in new[] { (3, "Gong"), (20, "Dialpad, Zoom medium") })
        {
            var group = new LimitGroup("g", permits, TimeSpan.FromSeconds(1));
            var clock = new ParkedWaitersClock(DateTimeOffset.UnixEpoch);
            using var limiter = new RequestLimiter(new PlatformLimits([group]), clock);
            var end = clock.GetUtcNow() + TimeSpan.FromSeconds(60);
            var grants = new List<DateTimeOffset>();
            var live = 4 * permits;
            var waiters = Enumerable.Range(0, live).Select(_ => Task.Run(async () =>
            {
                try
                {
                    while (true)
                    {
                        await limiter.WaitAsync([group], cancellationToken);
                        var now = clock.GetUtcNow();
                        if (now >= end) return;
                        lock (grants) grants.Add(now);
                    }
                }
                finally
                {
                    Interlocked.Decrement(ref live);
                }
            }, CancellationToken.None)).ToList();
            var stalls = 0;
            var nextStall = clock.GetUtcNow() + stallEvery;
            var limited = limiter.Group(group.Name);
            while (Volatile.Read(ref live) > 0)
            {
                await clock.AllParkedAsync(() => Volatile.Read(ref live));
                if (clock.NextDue is not { } due) continue;
                var stalled = due >= nextStall && due < end;
                var late = (limited ??= limiter.Group(group.Name)) is { } l ? l.Moved + l.Missed : 0;
                clock.AdvanceTo(due + (stalled ? stall : TimeSpan.Zero));
                if (!stalled) continue;
                // Counted only where it made a request late: the timer due may be a waiter's whose slot a late one shifted,
                // woken at its old time to sleep on; then the next due timer takes the stall.
                await clock.AllParkedAsync(() => Volatile.Read(ref live));
                if (limited is { } g && g.Moved + g.Missed > late) (stalls, nextStall) = (stalls + 1, nextStall + stallEvery);
            }
            await Task.WhenAll(waiters);
            limited = limiter.Group(group.Name)!;
            var used = WindowUse.Steady(grants, group);
            result.Figures.Add(new BenchFigure($"{permits} per 1 s ({names}), the process stalling {stall.TotalMilliseconds:0} ms every {stallEvery.TotalSeconds:0} s (fake clock, 60 s): share of the limit used (steady state)",
                    100 * (used?.Share ?? 0), "%")
                with { Note = $"{stalls} stalls that made a request late; late slots moved {limited.Moved} (the slots after them shifted by {limited.ShiftedBy.TotalSeconds:0.00} s in all), left unused {limited.Missed}; " +
                              "a stall's lateness alone costs 3% (60 ms of every 2 s)" });
            result.Figures.Add(new BenchFigure("  most requests in any window", FakeTrafficLog.MaxInAnyWindow(grants, group.Window), "").AtMost(permits));
        }
    }

    /// <summary>Waits this drive's turn to start among the light parts' (StartSpacing); at once for the heavy rates, which run alone.</summary>
    private Task StaggerAsync(CancellationToken cancellationToken) =>
        _lightParts ? Task.Delay(StartSpacing * (Interlocked.Increment(ref _starts) - 1), cancellationToken) : Task.CompletedTask;

    /// <summary>What a saturated client got: when each request went, and the slots that were late.</summary>
    /// <param name="Missed">Slots left unused (woken after the deadline, no room to move).</param>
    /// <param name="Moved">Slots woken after the deadline and moved to when they woke.</param>
    /// <param name="Retaken">Grants whose request was past the slot's deadline when it was about to go (as the HTTP handler does, a new slot was taken).</param>
    /// <param name="Timers">The limiter's timers, each timed (real clock only).</param>
    private sealed record Drive(List<DateTimeOffset> Grants, TimeSpan EffectiveWindow, long Missed, long Moved, int Retaken, TimerLateness? Timers);

    /// <summary>
    /// Keeps <paramref name="concurrency"/> waiters asking for <paramref name="duration"/>; records when each
    /// request went. Like <see cref="PlatformRequestHandler"/>: a request past its slot's deadline when it is
    /// about to go (its thread woke late after the grant) takes a new slot instead.
    /// </summary>
    private static async Task<Drive> DriveAsync(LimitGroup group, TimeProvider time, TimeSpan duration, int concurrency, CancellationToken cancellationToken)
    {
        // On the real clock the limiter's timers are timed: a slot lost inside it then has a when and a how late.
        var timers = time == TimeProvider.System ? new TimerLateness(time) : null;
        using var limiter = new RequestLimiter(new PlatformLimits([group]), timers ?? time);
        var grants = new List<DateTimeOffset>();
        var retaken = 0;
        var end = time.GetUtcNow() + duration;
        // The waits still queued at the end are let go: with 16 waiters at 1/s they would take 16 more seconds.
        using var deadline = new CancellationTokenSource(duration + TimeSpan.FromSeconds(1), time);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            var mine = new List<DateTimeOffset>();
            try
            {
                while (true)
                {
                    var slot = await limiter.ReserveAsync([group], stop.Token);
                    var now = time.GetUtcNow();
                    if (now > end) break;
                    if (slot is { } s && !s.IsOnTime(now)) { Interlocked.Increment(ref retaken); continue; }
                    mine.Add(now);
                }
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
            }
            lock (grants) grants.AddRange(mine);
        }, CancellationToken.None)));
        var limited = limiter.Group(group.Name)!;
        return new Drive(grants, limited.EffectiveWindow, limited.Missed, limited.Moved, retaken, timers);
    }

    /// <summary>
    /// The same client with no limit at all (no group: the limiter lets every request go at once), for
    /// <paramref name="duration"/>: how many requests a second this process can make here and now, the ceiling
    /// of what any limit can be measured at; with <paramref name="unreached"/>, through a group whose limit it never reaches.
    /// </summary>
    private static async Task<double> ClientCeilingAsync(LimitGroup? unreached, int concurrency, TimeSpan duration, CancellationToken cancellationToken)
    {
        using var limiter = new RequestLimiter(new PlatformLimits(unreached is null ? [] : [unreached]), TimeProvider.System);
        IReadOnlyList<LimitGroup> groups = unreached is null ? [] : [unreached];
        var time = TimeProvider.System;
        var clock = Stopwatch.StartNew();
        var end = time.GetUtcNow() + duration;
        var counts = await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            var mine = new List<DateTimeOffset>();
            while (!cancellationToken.IsCancellationRequested)
            {
                var slot = await limiter.ReserveAsync(groups, cancellationToken);
                var now = time.GetUtcNow();
                if (now > end) break;
                if (slot is { } s && !s.IsOnTime(now)) continue;
                mine.Add(now);
                // As the driven client does, which yields at each slot's timer: without a limit nothing would let the other waiters run.
                if (mine.Count % 64 == 0) await Task.Yield();
            }
            return mine.Count;
        }, CancellationToken.None)));
        return counts.Sum() / clock.Elapsed.TotalSeconds;
    }

    /// <summary>
    /// The same on a fake clock, advanced a 400th of the window per step, each step after a millisecond of real
    /// time: the waiters run on the thread pool (shared with the section's other parts) and must keep up.
    /// </summary>
    private static async Task<Drive> DriveOnFakeClockAsync(LimitGroup group, FakeTimeProvider time, TimeSpan duration, CancellationToken cancellationToken)
    {
        var run = DriveAsync(group, time, duration, concurrency: 2, cancellationToken);
        await Task.Delay(50, cancellationToken);
        while (!run.IsCompleted)
        {
            time.Advance(group.Window / 400);
            await Task.Delay(1, cancellationToken);
        }
        return await run;
    }

    /// <summary>Requests through a real pipeline (limits → auth → timeout → retries) to the fake, 8 at a time, for <paramref name="duration"/>.</summary>
    private static async Task<(int Sent, RequestStatistics Statistics, int? LearnedLimit)> SendAsync(GrainFake fake, PlatformLimits limits, NpgsqlDataSource? shared, TimeSpan duration,
        CancellationToken cancellationToken, DepartureRecorder? departures = null)
    {
        var factory = ImportContextCatalog.Discover().Get("grain");
        var statistics = new RequestStatistics();
        using var connection = PlatformConnection.Open(factory, new PlatformCredentials(fake.Credentials), ImportContextServices.Default,
            new PlatformConnectionOptions { Limits = limits, SharedBudget = shared, Statistics = statistics, Departures = departures, Retry = new RequestRetrySettings { BaseDelay = TimeSpan.FromMilliseconds(50) } });
        var end = DateTimeOffset.UtcNow + duration;
        var sent = 0;
        await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            while (DateTimeOffset.UtcNow < end && !cancellationToken.IsCancellationRequested)
            {
                // With departures recorded, each request has a path of its own: its departure and its arrival can be paired.
                var id = departures is null ? "bench" : $"bench-{Interlocked.Increment(ref _requestIds)}";
                using var response = await connection.Http.GetAsync($"{fake.BaseUrl}v2/recordings/{id}/transcript", cancellationToken);
                Interlocked.Increment(ref sent);
            }
        }));
        return (sent, statistics, limits.DefaultGroup is { } group ? connection.Limiter.Group(group.Name)?.PermitLimit : null);
    }

    private void AddWindowFigures(BenchSectionResult result, string label, LimitGroup group, List<DateTimeOffset> grants, string? note = null, Drive? drive = null)
    {
        var largest = FakeTrafficLog.MaxInAnyWindow(grants, group.Window);
        result.Figures.Add(new BenchFigure($"{label}: most requests in any window", largest, "").AtMost(group.PermitLimit) with { Note = note });
        var used = WindowUse.Steady(grants, group);
        var detail = used is null ? "fewer than two windows' worth after the first window" : $"{used.Windows} windows' worth ({used.Requests:N0} requests) in {Seconds(used.Span)}";
        if (used is not null && drive is not null)
        {
            // Each window's worth should come a kept window (window + 2 slacks) after the one before; later = lost.
            var (late, most) = used.LateWindows(drive.EffectiveWindow);
            detail += $"; windows' worth later than {Seconds(drive.EffectiveWindow)} after the one before: {late} of {used.Windows}" +
                      (late > 0 ? $" (by up to {most.TotalMilliseconds:0.0} ms)" : "") +
                      $"; late slots moved {drive.Moved}, left unused {drive.Missed}, retaken after the grant {drive.Retaken}" +
                      ProcessStalls(used, drive, grants);
        }
        result.Figures.Add(new BenchFigure("  share of the limit used (steady state)", 100 * (used?.Share ?? 0), "%").AtLeast(95) with { Note = detail });
    }

    /// <summary>
    /// When the limiter's timers fired more than a slack late (a waiter that loses or moves its slot), or else around the
    /// first window's worth that came that late: whether the process stalled then, and how. Empty when neither happened.
    /// </summary>
    private string ProcessStalls(WindowUse.Measure used, Drive drive, List<DateTimeOffset> grants)
    {
        if (_probe is null) return "";
        var origin = grants.Min();
        var text = "";
        DateTimeOffset from, to;
        if (drive.Timers?.Over(ShortestSlack) is { Count: > 0 } late)
        {
            var worst = late.MaxBy(l => l.Late);
            text = string.Create(CultureInfo.InvariantCulture, $"; limiter timers fired over {ShortestSlack.TotalMilliseconds:0} ms late: {late.Count} of {drive.Timers.Fired:N0}, worst {worst.Late.TotalMilliseconds:0.0} ms (due at +{(worst.Due - origin).TotalSeconds:0.00} s, " +
                                                                    $"{string.Join(", ", late.Where(l => l != worst).Take(4).Select(l => $"{l.Late.TotalMilliseconds:0.0} ms at +{(l.Due - origin).TotalSeconds:0.00} s"))})");
            (from, to) = (worst.Due - ProcessStallProbe.Period, worst.Due + worst.Late);
        }
        else if (used.Gaps is { } gaps && used.Means is { } means && gaps.Select((g, k) => (Late: g - drive.EffectiveWindow, k)).FirstOrDefault(g => g.Late > ShortestSlack) is { Late: var lateBy, k: var k } && lateBy > ShortestSlack)
        {
            text = string.Create(CultureInfo.InvariantCulture, $"; first window's worth over {ShortestSlack.TotalMilliseconds:0} ms late: {lateBy.TotalMilliseconds:0.0} ms, by +{(means[k + 1] - origin).TotalSeconds:0.00} s");
            (from, to) = (means[k] - drive.EffectiveWindow, means[k + 1]);
        }
        else return "";
        var stalls = _probe.Between(from, to);
        return text + string.Create(CultureInfo.InvariantCulture, $"; process stalls from +{(from - origin).TotalSeconds:0.00} s to +{(to - origin).TotalSeconds:0.00} s: ") +
               (stalls.Count == 0 ? $"none ≥ {ProcessStallProbe.Kept.TotalMilliseconds:0} ms" : string.Join(", ", stalls.Take(3).Select(s => s.Describe(origin))));
    }

    private static void Chart_(BenchSectionResult result, string name, List<DateTimeOffset> arrivals, LimitGroup limit)
    {
        if (arrivals.Count == 0) return;
        var ordered = arrivals.Order().ToList();
        var origin = ordered[0];
        var points = new List<(double, double)>();
        var step = Math.Max(0.05, limit.Window.TotalSeconds / 20);
        for (var t = 0.0; t <= (ordered[^1] - origin).TotalSeconds + step; t += step)
        {
            var at = origin.AddSeconds(t);
            points.Add((t, ordered.Count(a => a <= at && a > at - limit.Window) / (double)limit.PermitLimit * 100));
        }
        result.Series.Add(new BenchSeries(Chart, $"{name}: requests in the trailing window, % of the limit", "% of the limit", points) { Limit = 100, LimitName = "limit (100%)" });
    }

    private static string Seconds(TimeSpan window) => window.TotalSeconds >= 1
        ? $"{window.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s"
        : $"{window.TotalMilliseconds.ToString("0.###", CultureInfo.InvariantCulture)} ms";
}
