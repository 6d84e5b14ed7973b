using System.Security.Cryptography;
using System.Text;
using CallImport.ImportRunner.Processing;
using CallImport.Testing.Fakes.Gong;
using Xunit.Abstractions;

namespace CallImport.ImportRunner.Tests.EndToEnd;

/// <summary>
/// The runner as a user runs it, against the Gong fake over real HTTP and a real PostgreSQL, with Gong's
/// real limits (3 requests/s, 10,000/day, enforced by the fake with 429 + Retry-After), some 500s and stalls.
/// </summary>
public sealed class GongImportTests(ITestOutputHelper output)
{
    private static readonly DateTimeOffset From = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset To = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>No rate override: the runner keeps to Gong's declared limits, as against the real Gong.</summary>
    private static readonly IReadOnlyDictionary<string, string> RealLimits = new Dictionary<string, string>();

    private static IReadOnlyList<string> YearArgs(RunnerWorkspace workspace, string credentialsFile, params string[] more) =>
    [
        "import", "--platform", "gong", "--customer", "acme", "--credentials-file", credentialsFile,
        "--from", "2025-01-01T00:00:00Z", "--to", "2026-01-01T00:00:00Z",
        "--database", workspace.ConnectionString, "--storage", new Uri(workspace.MediaDirectory).AbsoluteUri,
        "--internal-domains", "acme.com", "--output", "json", .. more,
    ];

    [Fact]
    public async Task AYearOfCalls_WithServerErrorsAndMalformedCalls_EachImportedOnceOrFailedWithItsReason_AndASecondRunImportsNothing()
    {
        await using var gong = await GongFake.StartAsync(new GongFakeOptions
        {
            CallCount = 420, CallsFrom = From, CallsTo = To, CallsAtBounds = true, Seed = 7,
        });
        var listed = gong.CallsIn(From, To).ToList();
        var malformed = listed.Where(c => !c.IsPrivate).Where((_, i) => i % 97 == 5).Select(c => c.Id).ToArray();
        gong.Faults.MalformedCalls(malformed);
        gong.Faults.ServerErrorFraction(0.1);
        gong.Faults.DelayNext(2, TimeSpan.FromSeconds(30)); // two stalls past the runner's attempt timeout
        var importable = listed.Where(c => !c.IsPrivate && !malformed.Contains(c.Id)).ToList();
        var privateCalls = listed.Where(c => c.IsPrivate).ToList();
        await using var workspace = await RunnerWorkspace.CreateAsync();
        var args = YearArgs(workspace, workspace.WriteCredentials(gong.CredentialsJson()), "--concurrency", "8");

        using var first = await workspace.RunAsync(args, new Dictionary<string, string> { ["CALLIMPORT_HTTP_TIMEOUT_SECONDS"] = "3" });

        Assert.True(first.ExitCode == ExitCodes.CallsFailed, first.Stderr);
        var summary = RunnerWorkspace.Summary(first);
        Assert.Equal((listed.Count, importable.Count, malformed.Length, privateCalls.Count, 0),
            (summary.Total, summary.Processed, summary.Failed, summary.Skipped, summary.Pending));
        Assert.True(gong.Traffic.Faults(GongFakeFault.ServerError) > 0, "some requests should have met a 500");
        Assert.Equal(2, gong.Traffic.Faults(GongFakeFault.Delayed));
        Assert.True(privateCalls.Count > 0 && malformed.Length > 1);

        // Each importable call once, with the vendor's exact media bytes and its transcript.
        var rows = await EngagementsAsync(workspace);
        Assert.Equal(importable.Select(c => c.Id).Order(StringComparer.Ordinal), rows.Keys.Order(StringComparer.Ordinal));
        foreach (var call in importable)
        {
            var (mediaUri, hasTranscript) = rows[call.Id];
            Assert.Equal(call.ImportedMedia is null ? null : Sha256(call.ImportedMedia), mediaUri is null ? null : Sha256(await File.ReadAllBytesAsync(new Uri(mediaUri).LocalPath)));
            Assert.Equal(call.HasTranscript, hasTranscript);
        }
        foreach (var id in malformed)
            Assert.Equal(1, await workspace.Database.CountAsync(
                "SELECT count(*) FROM import_calls WHERE source_call_id = $1 AND state = 'failed' AND NOT retryable AND last_error LIKE '%malformed payload%'", id));
        Assert.Equal(privateCalls.Count, await workspace.Database.CountAsync(
            "SELECT count(*) FROM import_calls WHERE state = 'done' AND outcome = 'skipped' AND last_error LIKE '%private (isPrivate)%' AND source_call_id = ANY($1)",
            new object[] { privateCalls.Select(c => c.Id).ToArray() }));
        Assert.Equal(0, await workspace.Database.CountAsync("SELECT count(*) FROM engagements WHERE source_call_id = ANY($1)", new object[] { privateCalls.Select(c => c.Id).ToArray() }));
        Assert.True(await workspace.Database.CountAsync("SELECT count(*) FROM engagements WHERE participants @> '[{\"affiliation\":\"external\"}]'") > 0);

        var requestsPerCall = (double)gong.Traffic.ApiRequests / summary.Processed;
        output.WriteLine($"Gong: {gong.Traffic.ApiRequests} API requests ({gong.Traffic.RequestsTo(GongFakeEndpoint.ListCalls)} listing, " +
                         $"{gong.Traffic.RequestsTo(GongFakeEndpoint.Extensive)} extensive, {gong.Traffic.RequestsTo(GongFakeEndpoint.Transcript)} transcript; " +
                         $"{gong.Traffic.Faults(GongFakeFault.ServerError)} answered 500, {gong.Traffic.Faults(GongFakeFault.RateLimited)} answered 429) " +
                         $"for {summary.Processed} imported calls: {requestsPerCall:0.000} requests per imported call; " +
                         $"{gong.Traffic.RequestsTo(GongFakeEndpoint.Storage)} media downloads (not counted by Gong); most API requests in one second: {gong.Traffic.MaxApiRequestsIn(TimeSpan.FromSeconds(1))}.");
        Assert.True(requestsPerCall < 0.2, $"{requestsPerCall:0.000} requests per imported call");

        var requestsBefore = gong.Traffic.Requests().Count;
        using var second = await workspace.RunAsync(args, RealLimits);
        var again = RunnerWorkspace.Summary(second);
        Assert.Equal((listed.Count, 0, 0), (again.Total, again.Processed, again.Pending));
        Assert.Equal(importable.Count, (await EngagementsAsync(workspace)).Count);
        // A finished listing is not made again and no call is fetched again: only the credentials check goes out
        // (plus its retries when the fake answers 500).
        Assert.Equal(0, gong.Traffic.Requests().Skip(requestsBefore).Count(r => r.Endpoint is GongFakeEndpoint.Extensive or GongFakeEndpoint.Transcript or GongFakeEndpoint.Storage));

        var everything = first.Stdout + first.Stderr + second.Stdout + second.Stderr;
        Assert.DoesNotContain(gong.AccessKeySecret, everything, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToBase64String(Encoding.UTF8.GetBytes($"{gong.AccessKey}:{gong.AccessKeySecret}")), everything, StringComparison.Ordinal);
        Assert.DoesNotContain("X-Amz-Signature", everything, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RefusedSecret_CannotStart_SaysWhatToDo_AndNeverPrintsIt()
    {
        await using var gong = await GongFake.StartAsync();
        await using var workspace = await RunnerWorkspace.CreateAsync();
        const string wrongSecret = "gong-wrong-secret-7d31e0";
        var credentials = workspace.WriteCredentials($$"""{"accessKey":"{{gong.AccessKey}}","accessKeySecret":"{{wrongSecret}}","baseUrl":"{{gong.BaseUrl}}"}""");
        using var runner = await workspace.RunAsync(YearArgs(workspace, credentials, "--verbose"), RealLimits);

        Assert.Equal(ExitCodes.CouldNotStart, runner.ExitCode);
        Assert.Contains("refused the credentials", runner.Stderr, StringComparison.Ordinal);
        Assert.Contains("baseUrl", runner.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(wrongSecret, runner.Stdout + runner.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownFilter_CannotStart_NamingTheSupportedKeys()
    {
        await using var gong = await GongFake.StartAsync();
        await using var workspace = await RunnerWorkspace.CreateAsync();
        using var runner = await workspace.RunAsync(YearArgs(workspace, workspace.WriteCredentials(gong.CredentialsJson()), "--filter", "owner=bob"), RealLimits);

        Assert.Equal(ExitCodes.CouldNotStart, runner.ExitCode);
        Assert.Contains("owner", runner.Stderr, StringComparison.Ordinal);
        Assert.Contains("workspaceId, primaryUserIds", runner.Stderr, StringComparison.Ordinal);
    }

    private static async Task<Dictionary<string, (string? MediaUri, bool HasTranscript)>> EngagementsAsync(RunnerWorkspace workspace)
    {
        var rows = new Dictionary<string, (string?, bool)>(StringComparer.Ordinal);
        await using var command = workspace.Database.DataSource.CreateCommand(
            "SELECT source_call_id, media_uri, transcript IS NOT NULL FROM engagements WHERE customer_id = 'acme' AND import_source = 'gong'");
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            rows.Add(reader.GetString(0), (reader.IsDBNull(1) ? null : reader.GetString(1), reader.GetBoolean(2)));
        return rows;
    }

    private static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}
