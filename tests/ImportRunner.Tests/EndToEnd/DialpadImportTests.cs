using System.Globalization;
using System.Security.Cryptography;
using CallImport.ImportRunner.Processing;
using CallImport.Testing.Fakes.Dialpad;
using Xunit.Abstractions;

namespace CallImport.ImportRunner.Tests.EndToEnd;

/// <summary>The runner as a user runs it, against the Dialpad fake over real HTTP and a real PostgreSQL.</summary>
public sealed class DialpadImportTests(ITestOutputHelper output)
{
    private static readonly DateTimeOffset YearStart = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset YearEnd = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task AYearOfCalls_WithServerErrorsAndMalformedRecords_AtDialpadsOwnLimits_EachImportedOnceWithItsBytes()
    {
        await using var dialpad = await DialpadFake.StartAsync(new DialpadFakeOptions
        {
            Calls = 200,
            From = YearStart,
            To = YearEnd,
            CallsAtBounds = true,
            WithMediaFraction = 0.9,
            WithTranscriptFraction = 0.8,
            RecordingOnlyInDetailFraction = 0.03,
            MalformedCalls = 3,
            ServerErrorFraction = 0.05,
            EnforceLimits = true,
        });
        await using var workspace = await RunnerWorkspace.CreateAsync();
        var args = workspace.ImportArgs("dialpad", workspace.WriteCredentials(dialpad.CredentialsJson()), "--concurrency", "8").ToList();
        args[args.IndexOf("--from") + 1] = "2025-01-01T00:00:00Z";
        args[args.IndexOf("--to") + 1] = "2026-01-01T00:00:00Z";
        // Dialpad's own limits (no override): 20/s, get-call 10/min.
        var realLimits = new Dictionary<string, string> { ["CALLIMPORT_HTTP_RETRY_DELAY_MS"] = "50" };

        using var first = await workspace.RunAsync(args, realLimits);

        Assert.Equal(ExitCodes.CallsFailed, first.ExitCode);
        var inRange = dialpad.Calls.Where(c => c.Started >= YearStart && c.Started < YearEnd).ToList();
        var good = inRange.Where(c => !dialpad.Malformed.Contains(c.CallId)).ToList();
        var summary = RunnerWorkspace.Summary(first);
        Assert.Equal((inRange.Count, good.Count, inRange.Count - good.Count, 0), (summary.Total, summary.Processed, summary.Failed, summary.Pending));
        Assert.Equal(good.Count, await workspace.Database.CountAsync("SELECT count(DISTINCT source_call_id) FROM engagements WHERE import_source = 'dialpad'"));
        Assert.Equal(good.Count, await workspace.Database.CountAsync("SELECT count(*) FROM engagements"));
        Assert.Equal(good.Count(c => c.Lines is not null), await workspace.Database.CountAsync("SELECT count(*) FROM engagements WHERE transcript IS NOT NULL"));
        foreach (var id in inRange.Where(c => dialpad.Malformed.Contains(c.CallId)).Select(c => c.CallId.ToString(CultureInfo.InvariantCulture)))
            Assert.Equal(1, await workspace.Database.CountAsync(
                "SELECT count(*) FROM import_calls WHERE source_call_id = $1 AND state = 'failed' AND last_error LIKE '%malformed payload%'", id));

        var stored = Directory.EnumerateFiles(workspace.MediaDirectory, "*", SearchOption.AllDirectories)
            .Select(f => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(f)))).Order().ToList();
        Assert.Equal(good.Where(c => c.RecordingSha256 is not null).Select(c => c.RecordingSha256!).Order(), stored);
        Assert.True(dialpad.Log.CountWithStatus(500) > 0, "the fake answered some 500s");
        Assert.True(dialpad.Log.MaxInAnyWindow("get-call", DialpadFake.GetCall.Window) <= DialpadFake.GetCall.PermitLimit);
        var requests = dialpad.Log.Count;
        // The client keeps under 20/s as it sends; on a loaded machine a few requests arrive bunched (network
        // jitter beyond the window margin) and are refused: they are retried, and no call fails for it (above).
        var throttled = dialpad.Log.CountWithStatus(429);
        Assert.True(throttled <= requests / 20, $"{throttled} of {requests} requests throttled");
        output.WriteLine($"Dialpad: {requests} requests (media downloads included, {throttled} answered 429) for {summary.Processed} imported calls = {(double)requests / summary.Processed:0.000} requests per call");

        using var second = await workspace.RunAsync(args, realLimits);
        Assert.Equal(0, RunnerWorkspace.Summary(second).Processed);
        Assert.Equal(good.Count, await workspace.Database.CountAsync("SELECT count(*) FROM engagements"));
        Assert.DoesNotContain(dialpad.ApiKey, first.Stdout + first.Stderr + second.Stdout + second.Stderr, StringComparison.Ordinal);
    }

    /// <summary>
    /// A recording file already under its call's name but damaged (as a machine that went down after the rename and
    /// before the data reached the disk leaves it), from a source that announces no length: the call is stored
    /// again with the source's bytes, not completed with the file that was there.
    /// </summary>
    [Fact]
    public async Task DamagedRecordingAlreadyStored_SourceWithoutLength_IsStoredAgainWithTheSourcesBytes()
    {
        await using var dialpad = await DialpadFake.StartAsync(new DialpadFakeOptions { Calls = 6, RecordingsWithoutLength = true });
        await using var workspace = await RunnerWorkspace.CreateAsync();
        var damaged = dialpad.Calls.Where(c => c.Recording is not null).Take(3).ToList();
        Assert.NotEmpty(damaged);
        foreach (var call in damaged)
        {
            // The file the runner writes for a call: {customer}/{platform}/{call}@recording.mp3 (see LocalMediaStorage).
            var path = Path.Combine(workspace.MediaDirectory, "acme", "dialpad", $"{call.CallId.ToString(CultureInfo.InvariantCulture)}@recording.mp3");
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllBytesAsync(path, call.Recording![..(call.Recording!.Length / 2)]);
        }

        using var runner = await workspace.RunAsync(workspace.ImportArgs("dialpad", workspace.WriteCredentials(dialpad.CredentialsJson())));

        Assert.True(runner.ExitCode == ExitCodes.Success, $"exit {runner.ExitCode}\n{runner.Stderr}");
        var stored = Directory.EnumerateFiles(workspace.MediaDirectory, "*", SearchOption.AllDirectories)
            .Select(f => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(f)))).Order().ToList();
        Assert.Equal(dialpad.Calls.Where(c => c.RecordingSha256 is not null).Select(c => c.RecordingSha256!).Order(), stored);
    }

    [Fact]
    public async Task UnknownFilter_CannotStart_NamingTheSupportedKeys()
    {
        await using var dialpad = await DialpadFake.StartAsync();
        await using var workspace = await RunnerWorkspace.CreateAsync();
        using var runner = await workspace.RunAsync(workspace.ImportArgs("dialpad", workspace.WriteCredentials(dialpad.CredentialsJson()), "--filter", "colour=blue"));

        Assert.Equal(ExitCodes.CouldNotStart, runner.ExitCode);
        Assert.Contains("targetType, targetId", runner.Stderr, StringComparison.Ordinal);
    }
}
