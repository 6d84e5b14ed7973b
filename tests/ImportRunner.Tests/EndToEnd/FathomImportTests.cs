using System.Globalization;
using CallImport.ImportRunner.Processing;
using CallImport.Testing.Fakes.Fathom;
using Xunit.Abstractions;

namespace CallImport.ImportRunner.Tests.EndToEnd;

/// <summary>The runner as a user runs it, against the Fathom fake over real HTTP and a real PostgreSQL.</summary>
public sealed class FathomImportTests(ITestOutputHelper output)
{
    private static readonly DateTimeOffset YearStart = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset YearEnd = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static List<string> YearArgs(RunnerWorkspace workspace, FathomFake fathom, params string[] more)
    {
        var args = workspace.ImportArgs("fathom", workspace.WriteCredentials(fathom.CredentialsJson()), more).ToList();
        args[args.IndexOf("--from") + 1] = "2025-01-01T00:00:00Z";
        args[args.IndexOf("--to") + 1] = "2026-01-01T00:00:00Z";
        return args;
    }

    [Fact]
    public async Task AYearOfMeetings_WithServerErrorsAndMalformedItems_AtFathomsOwnLimit_EachImportedOnceOrFailedWithItsReason()
    {
        await using var fathom = await FathomFake.StartAsync(new FathomFakeOptions
        {
            Meetings = 300,
            From = YearStart,
            To = YearEnd,
            MeetingsAtBounds = true,
            WithTranscriptFraction = 0.9,
            MalformedMeetings = 4,
            ServerErrorFraction = 0.05,
            EnforceLimits = true,
        });
        await using var workspace = await RunnerWorkspace.CreateAsync();
        var args = YearArgs(workspace, fathom, "--concurrency", "8");
        // Fathom's own 60 per minute (no override): with transcripts inline a year costs a few dozen requests.
        var realLimits = new Dictionary<string, string> { ["CALLIMPORT_HTTP_RETRY_DELAY_MS"] = "50" };

        using var first = await workspace.RunAsync(args, realLimits);

        Assert.Equal(ExitCodes.CallsFailed, first.ExitCode);
        var inRange = fathom.Meetings.Where(m => m.RecordingStart >= YearStart && m.RecordingStart < YearEnd).ToList();
        var malformed = inRange.Where(m => fathom.Malformed.Contains(m.RecordingId)).Select(m => Id(m)).ToList();
        var summary = RunnerWorkspace.Summary(first);
        Assert.Equal((inRange.Count, inRange.Count - malformed.Count, malformed.Count, 0), (summary.Total, summary.Processed, summary.Failed, summary.Pending));
        Assert.Equal(inRange.Count - malformed.Count, await workspace.Database.CountAsync("SELECT count(DISTINCT source_call_id) FROM engagements WHERE import_source = 'fathom'"));
        Assert.Equal(inRange.Count - malformed.Count, await workspace.Database.CountAsync("SELECT count(*) FROM engagements"));
        foreach (var id in malformed)
            Assert.Equal(1, await workspace.Database.CountAsync(
                "SELECT count(*) FROM import_calls WHERE source_call_id = $1 AND state = 'failed' AND NOT retryable AND last_error LIKE '%malformed payload%'", id));
        var withTranscript = inRange.Count(m => !fathom.Malformed.Contains(m.RecordingId) && !fathom.WithoutTranscript.Contains(m.RecordingId));
        Assert.Equal(withTranscript, await workspace.Database.CountAsync("SELECT count(*) FROM engagements WHERE transcript IS NOT NULL"));
        Assert.Equal(0, await workspace.Database.CountAsync("SELECT count(*) FROM engagements WHERE media_uri IS NOT NULL"));
        Assert.True(await workspace.Database.CountAsync("SELECT count(*) FROM engagements WHERE participants @> '[{\"affiliation\":\"external\"}]'") > 0);
        Assert.True(fathom.Log.CountWithStatus(500) > 0, "the fake answered some 500s");
        Assert.True(fathom.Log.MaxInAnyWindow(null, TimeSpan.FromMinutes(1)) <= FathomFake.DocumentedLimit.PermitLimit);
        Assert.Equal(0, fathom.Log.CountWithStatus(429));

        var requests = fathom.Log.Count;
        output.WriteLine($"Fathom: {requests} requests for {summary.Processed} imported calls = {(double)requests / summary.Processed:0.000} requests per call");

        using var second = await workspace.RunAsync(args, realLimits);
        var again = RunnerWorkspace.Summary(second);
        Assert.Equal(0, again.Processed);
        Assert.Equal(inRange.Count - malformed.Count, await workspace.Database.CountAsync("SELECT count(*) FROM engagements"));
        var everything = first.Stdout + first.Stderr + second.Stdout + second.Stderr;
        Assert.DoesNotContain(fathom.ApiKey, everything, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RefusedApiKey_CannotStart_AndNeverPrintsTheKey()
    {
        await using var fathom = await FathomFake.StartAsync();
        await using var workspace = await RunnerWorkspace.CreateAsync();
        var wrongKey = "fathom-wrong-key-9d1e";
        var credentials = workspace.WriteCredentials($$"""{"apiKey":"{{wrongKey}}","baseUrl":"{{fathom.BaseUrl}}"}""");
        using var runner = await workspace.RunAsync(workspace.ImportArgs("fathom", credentials, "--verbose"));

        Assert.Equal(ExitCodes.CouldNotStart, runner.ExitCode);
        Assert.Contains("refused the credentials", runner.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(wrongKey, runner.Stdout + runner.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownFilter_CannotStart_NamingTheSupportedKeys()
    {
        await using var fathom = await FathomFake.StartAsync();
        await using var workspace = await RunnerWorkspace.CreateAsync();
        using var runner = await workspace.RunAsync(workspace.ImportArgs("fathom", workspace.WriteCredentials(fathom.CredentialsJson()), "--filter", "colour=blue"));

        Assert.Equal(ExitCodes.CouldNotStart, runner.ExitCode);
        Assert.Contains("colour", runner.Stderr, StringComparison.Ordinal);
        Assert.Contains("calendar_invitees_domains", runner.Stderr, StringComparison.Ordinal);
    }

    private static string Id(FathomFakeMeeting meeting) => meeting.RecordingId.ToString(CultureInfo.InvariantCulture);
}
