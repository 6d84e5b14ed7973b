using CallImport.ImportRunner.Processing;
using CallImport.Testing.Fakes.Grain;

namespace CallImport.ImportRunner.Tests.EndToEnd;

/// <summary>The runner as a user runs it, against the Grain fake over real HTTP and a real PostgreSQL.</summary>
public sealed class GrainImportTests
{
    [Fact]
    public async Task ImportOfTwoHundredCalls_LandsEachOnce_AndASecondRunReportsThemSkipped()
    {
        await using var grain = await GrainFake.StartAsync(new GrainFakeOptions { RecordingCount = 200, PageSize = 25 });
        var notReady = grain.Recordings.Take(7).Select(r => r.Id).ToArray();
        grain.Faults.TranscriptNotReadyFor(notReady);
        await using var workspace = await RunnerWorkspace.CreateAsync();
        var args = workspace.ImportArgs("grain", workspace.WriteCredentials(grain.CredentialsJson()), "--concurrency", "8");

        using var first = await workspace.RunAsync(args);
        Assert.True(first.ExitCode == ExitCodes.Success, first.Stderr);
        var summary = RunnerWorkspace.Summary(first);
        Assert.Equal((200, 200, 0, 0, 0), (summary.Total, summary.Processed, summary.Failed, summary.Skipped, summary.Pending));
        Assert.Equal(200, await workspace.Database.CountAsync("SELECT count(DISTINCT source_call_id) FROM engagements WHERE customer_id = 'acme' AND import_source = 'grain'"));
        Assert.Equal(7, await workspace.Database.CountAsync("SELECT count(*) FROM transcription_requests"));
        Assert.Equal(193, await workspace.Database.CountAsync("SELECT count(*) FROM engagements WHERE transcript IS NOT NULL"));
        Assert.Equal(0, await workspace.Database.CountAsync("SELECT count(*) FROM engagements WHERE media_uri IS NOT NULL"));
        Assert.True(await workspace.Database.CountAsync("SELECT count(*) FROM engagements WHERE participants @> '[{\"affiliation\":\"internal\"}]'") > 0);

        var requestsBefore = grain.Traffic.TotalRequests;
        using var second = await workspace.RunAsync(args);
        Assert.Equal(ExitCodes.Success, second.ExitCode);
        var again = RunnerWorkspace.Summary(second);
        Assert.Equal((200, 0, 0, 200), (again.Total, again.Processed, again.Failed, again.Skipped));
        Assert.Equal(200, await workspace.Database.CountAsync("SELECT count(*) FROM engagements"));
        // A finished import is not listed or fetched again: only the credentials check goes out.
        Assert.Equal(1, grain.Traffic.TotalRequests - requestsBefore);
        Assert.DoesNotContain(grain.ApiKey, first.Stdout + first.Stderr + second.Stdout + second.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ThrottledByTheVendor_SlowsDownAndImportsEverything()
    {
        await using var grain = await GrainFake.StartAsync(new GrainFakeOptions { RecordingCount = 60 });
        grain.Faults.ThrottleFraction(0.25, retryAfterSeconds: 1);
        await using var workspace = await RunnerWorkspace.CreateAsync();
        using var runner = await workspace.RunAsync(workspace.ImportArgs("grain", workspace.WriteCredentials(grain.CredentialsJson()), "--concurrency", "4"));

        Assert.True(runner.ExitCode == ExitCodes.Success, runner.Stderr);
        var summary = RunnerWorkspace.Summary(runner);
        Assert.Equal((60, 60, 0), (summary.Total, summary.Processed, summary.Failed));
        Assert.True(grain.Traffic.Faults(GrainFakeFault.Throttled) > 0);
        Assert.Contains("Retrying", runner.Stderr, StringComparison.Ordinal);
        // What the run measured reaches the store, for the operator's metrics.
        Assert.Equal(grain.Traffic.Faults(GrainFakeFault.Throttled), await workspace.Database.CountAsync("SELECT throttled_requests FROM imports"));
        Assert.Equal(grain.Traffic.TotalRequests, await workspace.Database.CountAsync("SELECT requests FROM imports"));
        Assert.Equal(60, await workspace.Database.CountAsync("SELECT processed_attempts FROM imports WHERE processing_ms > 0"));
    }

    [Fact]
    public async Task BadCalls_FailAlone_WithTheirReasons_AndTheRestImport()
    {
        await using var grain = await GrainFake.StartAsync(new GrainFakeOptions { RecordingCount = 30 });
        var malformed = grain.Recordings[3].Id;
        var missing = grain.Recordings[10].Id;
        grain.Faults.MalformedDetailFor([malformed]);
        grain.Faults.NotFoundFor([missing]);
        await using var workspace = await RunnerWorkspace.CreateAsync();
        using var runner = await workspace.RunAsync(workspace.ImportArgs("grain", workspace.WriteCredentials(grain.CredentialsJson())));

        Assert.Equal(ExitCodes.CallsFailed, runner.ExitCode);
        var summary = RunnerWorkspace.Summary(runner);
        Assert.Equal((30, 28, 2), (summary.Total, summary.Processed, summary.Failed));
        Assert.Equal(1, await workspace.Database.CountAsync(
            "SELECT count(*) FROM import_calls WHERE source_call_id = $1 AND state = 'failed' AND NOT retryable AND last_error LIKE '%malformed payload%'", malformed));
        Assert.Equal(1, await workspace.Database.CountAsync(
            "SELECT count(*) FROM import_calls WHERE source_call_id = $1 AND state = 'failed' AND NOT retryable AND last_error LIKE '%HTTP 404%'", missing));
        // Each permanent failure was tried once, never retried.
        Assert.Equal(1, grain.Traffic.DetailRequestsFor(malformed));
    }

    [Fact]
    public async Task ServerErrorsOnSomeCalls_AreRetriedAcrossPasses_UntilImported()
    {
        await using var grain = await GrainFake.StartAsync(new GrainFakeOptions { RecordingCount = 20 });
        await using var workspace = await RunnerWorkspace.CreateAsync();
        // Each request gets two tries; these calls fail 3 and 5 times, so they need a second and third pass.
        var flaky = grain.Recordings[2].Id;
        var flakier = grain.Recordings[9].Id;
        grain.Faults.FailDetailFor(flaky, 3);
        grain.Faults.FailDetailFor(flakier, 5);
        var environment = new Dictionary<string, string>(RunnerWorkspace.FastFakeEnvironment) { ["CALLIMPORT_HTTP_MAX_RETRIES"] = "1" };
        using var runner = await workspace.RunAsync(workspace.ImportArgs("grain", workspace.WriteCredentials(grain.CredentialsJson())), environment);

        Assert.True(runner.ExitCode == ExitCodes.Success, runner.Stderr);
        Assert.Equal(20, RunnerWorkspace.Summary(runner).Processed);
        Assert.Equal(8, grain.Traffic.Faults(GrainFakeFault.ServerError));
        Assert.Equal(2, await workspace.Database.CountAsync("SELECT count(*) FROM import_calls WHERE source_call_id = $1 AND state = 'done' AND attempts = 1", flaky)
            + await workspace.Database.CountAsync("SELECT count(*) FROM import_calls WHERE source_call_id = $1 AND state = 'done' AND attempts = 2", flakier));
    }

    [Fact]
    public async Task VendorDownAtStart_EndsWithAClearErrorAndNoStackTrace()
    {
        await using var grain = await GrainFake.StartAsync();
        grain.Faults.FailNext(int.MaxValue, 503);
        await using var workspace = await RunnerWorkspace.CreateAsync();
        var environment = new Dictionary<string, string>(RunnerWorkspace.FastFakeEnvironment) { ["CALLIMPORT_HTTP_MAX_RETRIES"] = "1" };
        using var runner = await workspace.RunAsync(workspace.ImportArgs("grain", workspace.WriteCredentials(grain.CredentialsJson())), environment);

        Assert.Equal(ExitCodes.Error, runner.ExitCode);
        Assert.Contains("HTTP 503", runner.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", runner.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OneRecordingForbidden_FailsAloneAsRetryable_AndTheRestImport()
    {
        await using var grain = await GrainFake.StartAsync(new GrainFakeOptions { RecordingCount = 12 });
        var hidden = grain.Recordings[4].Id;
        grain.Faults.FailDetailFor(hidden, 100, 403);
        await using var workspace = await RunnerWorkspace.CreateAsync();
        using var runner = await workspace.RunAsync(workspace.ImportArgs("grain", workspace.WriteCredentials(grain.CredentialsJson()), "--max-attempts", "2"));

        Assert.Equal(ExitCodes.CallsFailed, runner.ExitCode);
        Assert.Equal((11, 1), (RunnerWorkspace.Summary(runner).Processed, RunnerWorkspace.Summary(runner).Failed));
        Assert.Equal(1, await workspace.Database.CountAsync(
            "SELECT count(*) FROM import_calls WHERE source_call_id = $1 AND state = 'failed' AND retryable AND last_error LIKE '%HTTP 403%'", hidden));
        Assert.Equal(0, await workspace.Database.CountAsync("SELECT count(*) FROM imports WHERE start_error IS NOT NULL"));
    }

    [Fact]
    public async Task EveryCallForbidden_StopsTheRunAsCredentialsRefused_LeavingCallsPending()
    {
        await using var grain = await GrainFake.StartAsync(new GrainFakeOptions { RecordingCount = 12 });
        foreach (var recording in grain.Recordings) grain.Faults.FailDetailFor(recording.Id, 100, 403);
        await using var workspace = await RunnerWorkspace.CreateAsync();
        using var runner = await workspace.RunAsync(workspace.ImportArgs("grain", workspace.WriteCredentials(grain.CredentialsJson()), "--concurrency", "1"));

        Assert.Equal(ExitCodes.CouldNotStart, runner.ExitCode);
        Assert.Equal(1, await workspace.Database.CountAsync("SELECT count(*) FROM imports WHERE start_error_kind = 'credentials'"));
        Assert.Equal(12, await workspace.Database.CountAsync("SELECT count(*) FROM import_calls WHERE state = 'pending'"));
        Assert.True(grain.Traffic.Requests(GrainFakeEndpoint.GetRecording) <= 6, "the run should stop after a few refusals in a row");
    }

    [Fact]
    public async Task RefusedApiKey_CannotStart_SaysWhatToDo_AndNeverPrintsTheKey()
    {
        await using var grain = await GrainFake.StartAsync();
        await using var workspace = await RunnerWorkspace.CreateAsync();
        var wrongKey = "grain-wrong-key-5f2c9a";
        var credentials = workspace.WriteCredentials($$"""{"apiKey":"{{wrongKey}}","baseUrl":"{{grain.BaseUrl}}"}""");
        using var runner = await workspace.RunAsync(workspace.ImportArgs("grain", credentials, "--verbose"));

        Assert.Equal(ExitCodes.CouldNotStart, runner.ExitCode);
        Assert.Contains("refused the credentials", runner.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(wrongKey, runner.Stdout + runner.Stderr, StringComparison.Ordinal);
        Assert.Equal(1, await workspace.Database.CountAsync("SELECT count(*) FROM imports WHERE start_error_kind = 'credentials'"));
    }

    [Fact]
    public async Task UnknownFilter_CannotStart_NamingTheSupportedKeys()
    {
        await using var grain = await GrainFake.StartAsync();
        await using var workspace = await RunnerWorkspace.CreateAsync();
        using var runner = await workspace.RunAsync(workspace.ImportArgs("grain", workspace.WriteCredentials(grain.CredentialsJson()), "--filter", "colour=blue"));

        Assert.Equal(ExitCodes.CouldNotStart, runner.ExitCode);
        Assert.Contains("colour", runner.Stderr, StringComparison.Ordinal);
        Assert.Contains("participant_scope", runner.Stderr, StringComparison.Ordinal);
    }
}
