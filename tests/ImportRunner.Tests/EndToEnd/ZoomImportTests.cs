using System.Security.Cryptography;
using CallImport.ImportRunner.Processing;
using CallImport.Testing.Fakes.Zoom;
using Npgsql;
using Xunit.Abstractions;

namespace CallImport.ImportRunner.Tests.EndToEnd;

/// <summary>
/// The runner as a user runs it, with Zoom's real default limits, against the Zoom fake enforcing them: a year of
/// meetings with some 500s, malformed meetings, one still processing and tokens that expire mid-import.
/// </summary>
public sealed class ZoomImportTests(ITestOutputHelper output)
{
    private static readonly DateTimeOffset YearFrom = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset YearTo = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task ImportOfAYear_EveryMeetingOnceOrFailedWithItsReason_MediaIdentical_AndASecondRunImportsNothing()
    {
        await using var zoom = await ZoomFake.StartAsync(new ZoomFakeOptions
        {
            MeetingCount = 120,
            MeetingsFrom = YearFrom,
            MeetingsTo = YearTo,
            EnforceRateLimits = true,
        });
        // Tokens run out mid-import: every token expires at every 150th API request.
        zoom.Faults.ExpireTokensEvery(150);
        var malformed = new[] { zoom.Meetings[5].Uuid, zoom.Meetings[50].Uuid, zoom.Meetings[99].Uuid };
        zoom.Faults.MalformedMeetings(malformed);
        zoom.Faults.Processing(zoom.Meetings[20].Uuid, requests: 1);
        zoom.Faults.ServerErrorFraction(0.05);
        await using var workspace = await RunnerWorkspace.CreateAsync();
        var args = YearArgs(workspace.ImportArgs("zoom", workspace.WriteCredentials(zoom.CredentialsJson()), "--concurrency", "8"));
        var realLimits = new Dictionary<string, string>();

        using var first = await workspace.RunAsync(args, realLimits);

        Assert.True(first.ExitCode == ExitCodes.CallsFailed, first.Stderr);
        var summary = RunnerWorkspace.Summary(first);
        Assert.Equal((120, 117, 3), (summary.Total, summary.Processed, summary.Failed));
        foreach (var uuid in malformed)
            Assert.Equal(1, await workspace.Database.CountAsync(
                "SELECT count(*) FROM import_calls WHERE source_call_id = $1 AND state = 'failed' AND NOT retryable AND last_error LIKE '%malformed payload%'", uuid));
        Assert.Equal(117, await workspace.Database.CountAsync("SELECT count(DISTINCT source_call_id) FROM engagements WHERE import_source = 'zoom'"));
        Assert.Equal(117, await workspace.Database.CountAsync("SELECT count(*) FROM engagements"));

        var imported = zoom.Meetings.Where(m => !malformed.Contains(m.Uuid)).ToList();
        var stored = await StoredMediaAsync(workspace);
        Assert.Equal(imported.Count, stored.Count);
        foreach (var meeting in imported)
            Assert.Equal(meeting.Media!.Sha256, Sha256(stored[meeting.Uuid]));
        Assert.Equal(imported.Count(m => m.Transcript is not null), await workspace.Database.CountAsync("SELECT count(*) FROM engagements WHERE transcript IS NOT NULL"));
        // Every call names its host as internal (from the listing's host_email), whoever else joined.
        Assert.Equal(117, await workspace.Database.CountAsync("SELECT count(*) FROM engagements WHERE participants @> '[{\"affiliation\":\"internal\"}]'"));
        Assert.True(zoom.Traffic.Faults(ZoomFakeFault.ServerError) > 0);
        Assert.True(zoom.Traffic.Faults(ZoomFakeFault.ExpiredToken) > 0 && zoom.Traffic.Count(ZoomFakeEndpoint.Token) > 1, "expired tokens should have been renewed");
        Assert.Equal(0, zoom.Traffic.Faults(ZoomFakeFault.WrongEncoding) + zoom.Traffic.Faults(ZoomFakeFault.LoginPage) + zoom.Traffic.Faults(ZoomFakeFault.AuthorizationOnStorage));
        // Zoom's windows are enforced by the fake; a 429 it answered was waited out and retried (no call failed for it).
        // How close the runner came is reported, not asserted: arrival times on a busy machine are not exact.

        // Requests to Zoom itself (API, OAuth, download_url); the storage host's answers to redirects are counted apart.
        var requests = zoom.Traffic.TotalRequests - zoom.Traffic.Count(ZoomFakeEndpoint.Storage);
        output.WriteLine($"Zoom: {requests} requests for {summary.Processed} imported calls = {(double)requests / summary.Processed:0.00} per call " +
                         $"({zoom.Traffic.Count(ZoomFakeEndpoint.ListAccountRecordings)} listings, {zoom.Traffic.Count(ZoomFakeEndpoint.MeetingRecordings)} details, " +
                         $"{zoom.Traffic.Count(ZoomFakeEndpoint.PastMeetingParticipants)} participants, {zoom.Traffic.Count(ZoomFakeEndpoint.Download)} downloads, " +
                         $"{zoom.Traffic.Count(ZoomFakeEndpoint.Storage)} storage, {zoom.Traffic.Count(ZoomFakeEndpoint.Token)} tokens; " +
                         $"{zoom.Traffic.Faults(ZoomFakeFault.ServerError)} 500s, {zoom.Traffic.Faults(ZoomFakeFault.RateLimited)} 429s, " +
                         $"busiest second: Medium {zoom.Traffic.MaxRequestsIn("Medium", TimeSpan.FromSeconds(1))}/20, Light {zoom.Traffic.MaxRequestsIn("Light", TimeSpan.FromSeconds(1))}/30; {summary.DurationSeconds:0.0} s)");

        zoom.Faults.ServerErrorFraction(0);
        var before = zoom.Traffic.TotalRequests;
        using var second = await workspace.RunAsync(args, realLimits);
        var again = RunnerWorkspace.Summary(second);
        Assert.Equal((120, 0), (again.Total, again.Processed));
        Assert.Equal(117, await workspace.Database.CountAsync("SELECT count(*) FROM engagements"));
        Assert.True(zoom.Traffic.TotalRequests - before <= 3, "a finished import only checks the credentials");

        var everything = first.Stdout + first.Stderr + second.Stdout + second.Stderr;
        Assert.DoesNotContain(zoom.ClientSecret, everything, StringComparison.Ordinal);
        Assert.All(zoom.IssuedTokens, token => Assert.DoesNotContain(token, everything, StringComparison.Ordinal));
    }

    [Fact]
    public async Task RefusedSecret_CannotStart_SaysWhatToCheck_AndNeverPrintsIt()
    {
        await using var zoom = await ZoomFake.StartAsync();
        await using var workspace = await RunnerWorkspace.CreateAsync();
        var credentials = new Dictionary<string, string>(zoom.Credentials) { ["clientSecret"] = "zoom-wrong-secret-77a1" };
        using var runner = await workspace.RunAsync(
            workspace.ImportArgs("zoom", workspace.WriteCredentials(System.Text.Json.JsonSerializer.Serialize(credentials)), "--verbose"));

        Assert.Equal(ExitCodes.CouldNotStart, runner.ExitCode);
        Assert.Contains("clientSecret", runner.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("zoom-wrong-secret-77a1", runner.Stdout + runner.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownFilter_CannotStart_NamingTheSupportedKey()
    {
        await using var zoom = await ZoomFake.StartAsync();
        await using var workspace = await RunnerWorkspace.CreateAsync();
        using var runner = await workspace.RunAsync(workspace.ImportArgs("zoom", workspace.WriteCredentials(zoom.CredentialsJson()), "--filter", "host=ada"));

        Assert.Equal(ExitCodes.CouldNotStart, runner.ExitCode);
        Assert.Contains("'host'", runner.Stderr, StringComparison.Ordinal);
        Assert.Contains("user", runner.Stderr, StringComparison.Ordinal);
    }

    private static IReadOnlyList<string> YearArgs(IReadOnlyList<string> args)
    {
        var result = args.ToList();
        result[result.IndexOf("--from") + 1] = YearFrom.ToString("O");
        result[result.IndexOf("--to") + 1] = YearTo.ToString("O");
        return result;
    }

    private static async Task<Dictionary<string, string>> StoredMediaAsync(RunnerWorkspace workspace)
    {
        var media = new Dictionary<string, string>(StringComparer.Ordinal);
        await using var command = workspace.Database.DataSource.CreateCommand("SELECT source_call_id, media_uri FROM engagements WHERE media_uri IS NOT NULL");
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) media[reader.GetString(0)] = new Uri(reader.GetString(1)).LocalPath;
        return media;
    }

    private static string Sha256(string path)
    {
        using var file = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(file));
    }
}
