using System.Globalization;
using System.Security.Cryptography;
using CallImport.ImportRunner.Processing;
using CallImport.Testing.Fakes;
using CallImport.Testing.Fakes.HubSpot;
using Xunit.Abstractions;

namespace CallImport.ImportRunner.Tests.EndToEnd;

/// <summary>The runner as a user runs it, against the HubSpot fake over real HTTP and a real PostgreSQL.</summary>
public sealed class HubSpotImportTests(ITestOutputHelper output)
{
    private static readonly DateTimeOffset YearStart = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset YearEnd = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static List<string> YearArgs(RunnerWorkspace workspace, string credentialsFile)
    {
        var args = workspace.ImportArgs("hubspot", credentialsFile, "--concurrency", "8").ToList();
        args[args.IndexOf("--from") + 1] = "2025-01-01T00:00:00Z";
        args[args.IndexOf("--to") + 1] = "2026-01-01T00:00:00Z";
        return args;
    }

    [Fact]
    public async Task AYearOfCalls_WithServerErrorsAndMalformedRecords_AtHubSpotsOwnLimits_EachImportedOnceWithItsBytes()
    {
        await using var hubspot = await HubSpotFake.StartAsync(new HubSpotFakeOptions
        {
            Calls = 220,
            From = YearStart,
            To = YearEnd,
            CallsAtBounds = true,
            MaxPageSize = 100,
            WithMediaFraction = 0.9,
            ProviderAuthFraction = 0.1,
            WithTranscriptFraction = 0.7,
            MalformedCalls = 3,
            ServerErrorFraction = 0.05,
            EnforceLimits = true,
        });
        await using var workspace = await RunnerWorkspace.CreateAsync();
        var args = YearArgs(workspace, workspace.WriteCredentials(HubSpotFake.CredentialsJson(hubspot.OAuthCredentials)));
        // HubSpot's own limits (no override): 100 per 10 s, search 5/s.
        var realLimits = new Dictionary<string, string> { ["CALLIMPORT_HTTP_RETRY_DELAY_MS"] = "50" };

        using var first = await workspace.RunAsync(args, realLimits);

        Assert.Equal(ExitCodes.CallsFailed, first.ExitCode);
        var inRange = hubspot.Calls.Where(c => c.Timestamp >= YearStart && c.Timestamp < YearEnd).ToList();
        var good = inRange.Where(c => !hubspot.Malformed.Contains(c.Id)).ToList();
        var summary = RunnerWorkspace.Summary(first);
        Assert.Equal((inRange.Count, good.Count, inRange.Count - good.Count, 0), (summary.Total, summary.Processed, summary.Failed, summary.Pending));
        Assert.Equal(good.Count, await workspace.Database.CountAsync("SELECT count(DISTINCT source_call_id) FROM engagements WHERE import_source = 'hubspot'"));
        Assert.Equal(good.Count, await workspace.Database.CountAsync("SELECT count(*) FROM engagements"));
        Assert.Equal(good.Count(c => c.Utterances is not null), await workspace.Database.CountAsync("SELECT count(*) FROM engagements WHERE transcript IS NOT NULL"));
        Assert.Equal(good.Count(c => c.Utterances is null), await workspace.Database.CountAsync("SELECT count(*) FROM transcription_requests"));
        Assert.Equal(good.Count, await workspace.Database.CountAsync(
            "SELECT count(*) FROM engagements WHERE participants @> '[{\"affiliation\":\"internal\"}]'"));
        foreach (var id in inRange.Where(c => hubspot.Malformed.Contains(c.Id)).Select(c => c.IdText))
            Assert.Equal(1, await workspace.Database.CountAsync(
                "SELECT count(*) FROM import_calls WHERE source_call_id = $1 AND state = 'failed' AND last_error LIKE '%malformed payload%'", id));

        var stored = Directory.EnumerateFiles(workspace.MediaDirectory, "*", SearchOption.AllDirectories)
            .Select(f => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(f)))).Order().ToList();
        var fetchable = good.Where(c => c.HasRecording && !c.RecordingNeedsProviderAuth).ToList();
        Assert.Equal(fetchable.Select(c => c.RecordingSha256!).Order(), stored);
        Assert.Contains(good, c => c.RecordingNeedsProviderAuth); // imported, without media
        Assert.Contains("needs the calling provider's own authorization", first.Stdout + first.Stderr, StringComparison.Ordinal);
        Assert.True(hubspot.Log.CountWithStatus(500) > 0, "the fake answered some 500s");
        Assert.False(hubspot.LeakedAuthorization, "the HubSpot token was sent to the calling provider");

        var api = hubspot.Log.Requests.Where(r => r.LimitGroup is "overall" or "search").ToList();
        var throttled = api.Count(r => r.Status == 429);
        // The client keeps under HubSpot's limits as it sends; a loaded machine may bunch a few arrivals (retried, no call fails for it).
        Assert.True(throttled <= api.Count / 20, $"{throttled} of {api.Count} requests throttled");
        Assert.True(FakeTrafficLog.MaxInAnyWindow(api.Select(r => r.At), HubSpotFake.Overall.Window) <= HubSpotFake.Overall.PermitLimit + throttled);
        var downloads = hubspot.Log.Requests.Count(r => r.LimitGroup == "provider");
        var tokens = hubspot.Log.Requests.Count(r => r.LimitGroup == "oauth");
        output.WriteLine($"HubSpot: {api.Count} API requests ({throttled} answered 429, {hubspot.Log.CountWithStatus(500)} answered 500) + {tokens} token + {downloads} recording downloads at the provider " +
                         $"for {summary.Processed} imported calls = {(double)api.Count / summary.Processed:0.000} HubSpot requests per call, {(double)(api.Count + downloads + tokens) / summary.Processed:0.000} with downloads");

        using var second = await workspace.RunAsync(args, realLimits);
        Assert.Equal(0, RunnerWorkspace.Summary(second).Processed);
        Assert.Equal(good.Count, await workspace.Database.CountAsync("SELECT count(*) FROM engagements"));
        var outputs = first.Stdout + first.Stderr + second.Stdout + second.Stderr;
        foreach (var secret in hubspot.Secrets) Assert.DoesNotContain(secret, outputs, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PrivateAppToken_ImportsEveryCall_AndQueuesEveryTranscription()
    {
        await using var hubspot = await HubSpotFake.StartAsync(new HubSpotFakeOptions { Calls = 30, WithTranscriptFraction = 0.8 });
        await using var workspace = await RunnerWorkspace.CreateAsync();
        using var runner = await workspace.RunAsync(workspace.ImportArgs("hubspot", workspace.WriteCredentials(HubSpotFake.CredentialsJson(hubspot.PrivateAppCredentials))));

        Assert.Equal(ExitCodes.Success, runner.ExitCode);
        Assert.Equal(30, RunnerWorkspace.Summary(runner).Processed);
        Assert.Equal(0, await workspace.Database.CountAsync("SELECT count(*) FROM engagements WHERE transcript IS NOT NULL"));
        Assert.Equal(30, await workspace.Database.CountAsync("SELECT count(*) FROM transcription_requests"));
        Assert.DoesNotContain(hubspot.Log.Requests, r => r.Path.Contains("transcripts", StringComparison.Ordinal));
        Assert.DoesNotContain(hubspot.PrivateAppToken, runner.Stdout + runner.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OnlyTheOAuthRefreshKeys_NoAccessToken_ImportsEveryCallWithItsTranscript()
    {
        await using var hubspot = await HubSpotFake.StartAsync(new HubSpotFakeOptions { Calls = 20, WithTranscriptFraction = 1 });
        await using var workspace = await RunnerWorkspace.CreateAsync();
        Assert.DoesNotContain("accessToken", hubspot.RefreshOnlyCredentials.Keys);
        using var runner = await workspace.RunAsync(workspace.ImportArgs("hubspot", workspace.WriteCredentials(HubSpotFake.CredentialsJson(hubspot.RefreshOnlyCredentials))));

        Assert.Equal(ExitCodes.Success, runner.ExitCode);
        Assert.Equal(20, RunnerWorkspace.Summary(runner).Processed);
        Assert.Equal(20, await workspace.Database.CountAsync("SELECT count(*) FROM engagements WHERE transcript IS NOT NULL"));
        Assert.Equal(0, await workspace.Database.CountAsync("SELECT count(*) FROM transcription_requests"));
        Assert.Contains(hubspot.Log.Requests, r => r.LimitGroup == "oauth" && r.Status == 200);
        var outputs = runner.Stdout + runner.Stderr;
        foreach (var secret in hubspot.Secrets) Assert.DoesNotContain(secret, outputs, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownFilter_CannotStart_NamingTheSupportedKeys()
    {
        await using var hubspot = await HubSpotFake.StartAsync();
        await using var workspace = await RunnerWorkspace.CreateAsync();
        using var runner = await workspace.RunAsync(workspace.ImportArgs("hubspot", workspace.WriteCredentials(HubSpotFake.CredentialsJson(hubspot.PrivateAppCredentials)), "--filter", "colour=blue"));

        Assert.Equal(ExitCodes.CouldNotStart, runner.ExitCode);
        Assert.Contains("ownerIds, direction, status", runner.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, hubspot.Log.Count);
    }
}
