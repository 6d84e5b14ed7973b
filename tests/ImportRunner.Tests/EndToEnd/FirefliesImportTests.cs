using System.Diagnostics;
using System.Security.Cryptography;
using CallImport.ImportRunner.Processing;
using CallImport.Testing.Fakes.Fireflies;
using Xunit.Abstractions;

namespace CallImport.ImportRunner.Tests.EndToEnd;

/// <summary>The runner as a user runs it, against the Fireflies fake over real HTTP and a real PostgreSQL.</summary>
public sealed class FirefliesImportTests(ITestOutputHelper output)
{
    private static readonly DateTimeOffset YearStart = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset YearEnd = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    /// <summary>Fireflies' own limits (no override); short HTTP backoff so the 500s cost little time.</summary>
    private static readonly Dictionary<string, string> RealLimits = new() { ["CALLIMPORT_HTTP_RETRY_DELAY_MS"] = "50" };

    private static List<string> YearArgs(RunnerWorkspace workspace, FirefliesFake fireflies, params string[] more)
    {
        var args = workspace.ImportArgs("fireflies", workspace.WriteCredentials(fireflies.CredentialsJson()), more).ToList();
        args[args.IndexOf("--from") + 1] = "2025-01-01T00:00:00Z";
        args[args.IndexOf("--to") + 1] = "2026-01-01T00:00:00Z";
        return args;
    }

    /// <summary>
    /// A year of 90 meetings: at Business' 60 requests a minute and one request per call, a larger year only takes
    /// longer (about a minute per 58 calls); 90 keeps the test near a minute while the limit still holds it back.
    /// </summary>
    [Fact]
    public async Task AYearOfMeetings_WithServerErrorsMalformedAndProcessingMeetings_AtBusinessLimits_EachImportedOnceWithItsBytes()
    {
        await using var fireflies = await FirefliesFake.StartAsync(new FirefliesFakeOptions
        {
            Meetings = 90,
            From = YearStart,
            To = YearEnd,
            MeetingsAtBounds = true,
            WithAudioFraction = 0.85,
            WithTranscriptFraction = 0.9,
            MalformedMeetings = 3,
            ProcessingMeetings = 2,
            ServerErrorFraction = 0.05,
            EnforceLimits = true,
        });
        await using var workspace = await RunnerWorkspace.CreateAsync();
        var args = YearArgs(workspace, fireflies, "--concurrency", "8");

        var clock = Stopwatch.StartNew();
        using var first = await workspace.RunAsync(args, RealLimits);
        var firstRunTook = clock.Elapsed;

        Assert.Equal(ExitCodes.CallsFailed, first.ExitCode);
        var inRange = fireflies.Meetings.Where(m => m.Start >= YearStart && m.Start < YearEnd).ToList();
        var good = inRange.Where(m => !fireflies.Malformed.Contains(m.Id)).ToList();
        var summary = RunnerWorkspace.Summary(first);
        Assert.Equal((inRange.Count, good.Count, inRange.Count - good.Count, 0), (summary.Total, summary.Processed, summary.Failed, summary.Pending));
        Assert.Equal(good.Count, await workspace.Database.CountAsync("SELECT count(DISTINCT source_call_id) FROM engagements WHERE import_source = 'fireflies'"));
        Assert.Equal(good.Count, await workspace.Database.CountAsync("SELECT count(*) FROM engagements"));
        foreach (var id in inRange.Where(m => fireflies.Malformed.Contains(m.Id)).Select(m => m.Id))
            Assert.Equal(1, await workspace.Database.CountAsync(
                "SELECT count(*) FROM import_calls WHERE source_call_id = $1 AND state = 'failed' AND NOT retryable AND last_error LIKE '%malformed payload%'", id));
        // The meetings Fireflies was still processing at first are imported in a later pass.
        foreach (var id in fireflies.Processing)
            Assert.Equal(1, await workspace.Database.CountAsync("SELECT count(*) FROM engagements WHERE source_call_id = $1", id));
        Assert.Equal(good.Count(m => m.HasTranscript), await workspace.Database.CountAsync("SELECT count(*) FROM engagements WHERE transcript IS NOT NULL"));
        Assert.True(await workspace.Database.CountAsync("SELECT count(*) FROM engagements WHERE participants @> '[{\"affiliation\":\"external\"}]'") > 0);
        Assert.True(await workspace.Database.CountAsync("SELECT count(*) FROM engagements WHERE participants @> '[{\"affiliation\":\"internal\"}]'") > 0);

        var stored = Directory.EnumerateFiles(workspace.MediaDirectory, "*", SearchOption.AllDirectories)
            .Select(f => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(f)))).Order().ToList();
        Assert.Equal(good.Where(m => m.AudioSha256 is not null).Select(m => m.AudioSha256!).Order(), stored);
        Assert.True(fireflies.Log.CountWithStatus(500) > 0, "the fake answered some 500s");
        Assert.True(fireflies.Log.MaxInAnyWindow(FirefliesFake.PerMinute.Group, FirefliesFake.PerMinute.Window) <= FirefliesFake.PerMinute.PermitLimit,
            "never more than Business' 60 requests in a minute");
        var throttled = fireflies.Log.CountWithStatus(429);
        var requests = fireflies.ApiRequests;
        Assert.True(throttled <= requests / 20, $"{throttled} of {requests} requests throttled");
        output.WriteLine($"Fireflies: {requests} API requests ({throttled} throttled, {fireflies.Log.CountWithStatus(500)} answered 500) and {fireflies.MediaRequests} downloads "
            + $"for {summary.Processed} imported calls = {(double)requests / summary.Processed:0.000} API requests per call; first run {firstRunTook.TotalSeconds:0} s");

        using var second = await workspace.RunAsync(args, RealLimits);
        Assert.Equal(0, RunnerWorkspace.Summary(second).Processed);
        Assert.Equal(good.Count, await workspace.Database.CountAsync("SELECT count(*) FROM engagements"));
        Assert.DoesNotContain(fireflies.ApiKey, first.Stdout + first.Stderr + second.Stdout + second.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProPlansDailyQuota_SpentMidImport_StopsTheRunUntilFirefliesReset_CallsStayPending()
    {
        // A Pro key allows 50 requests a day; the ImportJob did not say so (no --requests-per-day): Fireflies' own
        // too_many_requests with a retryAfter hours away stops the run, which records when to come back.
        await using var fireflies = await FirefliesFake.StartAsync(new FirefliesFakeOptions { Meetings = 70, Plan = FirefliesFakePlan.Pro, EnforceLimits = true });
        await using var workspace = await RunnerWorkspace.CreateAsync();
        var args = workspace.ImportArgs("fireflies", workspace.WriteCredentials(fireflies.CredentialsJson()), "--concurrency", "4").ToList();

        using var run = await workspace.RunAsync(args, RealLimits);

        Assert.Equal(ExitCodes.StoppedEarly, run.ExitCode);
        var summary = RunnerWorkspace.Summary(run);
        Assert.Equal("DailyQuotaExhausted", summary.StopReason);
        Assert.Equal(70, summary.Total);
        Assert.InRange(summary.Processed, 40, 47); // 50 requests: the check, two listing pages, one per call
        Assert.Equal(70 - summary.Processed, summary.Pending);
        Assert.Equal(0, summary.Failed);
        // The ImportJob waits until Fireflies' retryAfter (the fake's: 24 h after the day's first request), not a guessed midnight.
        Assert.NotNull(fireflies.DailyQuotaResetsAt);
        Assert.Equal(1, await workspace.Database.CountAsync("SELECT count(*) FROM imports WHERE quota_exhausted_until = $1", fireflies.DailyQuotaResetsAt.Value.UtcDateTime));
    }

    [Fact]
    public async Task RefusedApiKey_CannotStart_AndNeverPrintsTheKey()
    {
        await using var fireflies = await FirefliesFake.StartAsync();
        await using var workspace = await RunnerWorkspace.CreateAsync();
        var wrongKey = "fireflies-wrong-key-5c2a";
        var credentials = workspace.WriteCredentials($$"""{"apiKey":"{{wrongKey}}","baseUrl":"{{fireflies.BaseUrl}}"}""");
        using var runner = await workspace.RunAsync(workspace.ImportArgs("fireflies", credentials, "--verbose"));

        Assert.Equal(ExitCodes.CouldNotStart, runner.ExitCode);
        Assert.Contains("auth_failed", runner.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(wrongKey, runner.Stdout + runner.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownFilter_CannotStart_NamingTheSupportedKeys()
    {
        await using var fireflies = await FirefliesFake.StartAsync();
        await using var workspace = await RunnerWorkspace.CreateAsync();
        using var runner = await workspace.RunAsync(workspace.ImportArgs("fireflies", workspace.WriteCredentials(fireflies.CredentialsJson()), "--filter", "colour=blue"));

        Assert.Equal(ExitCodes.CouldNotStart, runner.ExitCode);
        Assert.Contains("colour", runner.Stderr, StringComparison.Ordinal);
        Assert.Contains("organizers, participants, user_id, mine", runner.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, fireflies.Log.Count);
    }
}
