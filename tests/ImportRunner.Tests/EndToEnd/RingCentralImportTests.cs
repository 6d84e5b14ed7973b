using System.Globalization;
using System.Security.Cryptography;
using CallImport.ImportRunner.Processing;
using CallImport.ImportRunner.Tests.Cli;
using CallImport.Testing.Fakes.RingCentral;
using Xunit.Abstractions;

namespace CallImport.ImportRunner.Tests.EndToEnd;

/// <summary>
/// The runner as a user runs it, against the RingCentral fake over real HTTP and a real PostgreSQL: a year's
/// call log with 500s, malformed records, internal calls (two records, one session), short unrecorded calls
/// and tokens that must be refreshed with single-use refresh tokens.
/// </summary>
public sealed class RingCentralImportTests(ITestOutputHelper output)
{
    private static readonly DateTimeOffset YearStart = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset YearEnd = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static IReadOnlyList<string> YearArgs(RunnerWorkspace workspace, RingCentralFake fake, params string[] more) =>
    [
        "import", "--platform", "ringcentral", "--customer", "acme", "--credentials-file", workspace.WriteCredentials(fake.CredentialsJson()),
        "--from", YearStart.ToString("O", CultureInfo.InvariantCulture), "--to", YearEnd.ToString("O", CultureInfo.InvariantCulture),
        "--database", workspace.ConnectionString, "--storage", new Uri(workspace.MediaDirectory).AbsoluteUri,
        "--internal-domains", "acme.com", "--output", "json", .. more,
    ];

    [Fact]
    public async Task YearOfCalls_WithServerErrorsAndMalformedRecords_EachCallOnceOrFailedWithItsReason_MediaIdentical()
    {
        await using var fake = await RingCentralFake.StartAsync(new RingCentralFakeOptions
        {
            CallCount = 150, CallsFrom = YearStart, CallsTo = YearEnd, InternalCallFraction = 0.2, MaxPerPage = 40,
            // Renewed about every second of the run (5 minutes ahead of expiry): many single-use refresh tokens.
            AccessTokenLifetime = TimeSpan.FromSeconds(301),
        });
        var malformed = fake.Calls.Where((_, i) => i % 50 == 7).ToList();
        fake.Faults.MalformedRecords([.. malformed.Select(c => c.Records[0].Id)]);
        fake.Faults.ServerErrorFraction(0.05);
        // The first requests (token, credentials check, first page) answer slowly, so the first token is past its
        // renewal point before the listing goes on however fast the machine is: a renewal mid-import is certain.
        fake.Faults.StallNext(3, TimeSpan.FromSeconds(1.5));
        await using var workspace = await RunnerWorkspace.CreateAsync();
        var args = YearArgs(workspace, fake, "--concurrency", "4");

        using var first = await workspace.RunAsync(args);
        var summary = RunnerWorkspace.Summary(first);
        var importable = fake.Calls.Count - malformed.Count;

        Assert.True(first.ExitCode == ExitCodes.CallsFailed, first.Stderr);
        Assert.Equal((fake.Calls.Count, importable, malformed.Count), (summary.Total, summary.Processed, summary.Failed));
        Assert.True(fake.Traffic.Faults(RingCentralFakeFault.ServerError) > 0, "the fake should have answered some 500s");
        foreach (var call in malformed)
            Assert.Equal(1, await workspace.Database.CountAsync(
                "SELECT count(*) FROM import_calls WHERE source_call_id = $1 AND state = 'failed' AND NOT retryable AND last_error LIKE $2",
                call.TelephonySessionId, $"%malformed payload in call-log record {call.Records[0].Id}%"));
        // One engagement per telephony session: internal calls' two records make one call.
        Assert.Equal(importable, await workspace.Database.CountAsync("SELECT count(DISTINCT source_call_id) FROM engagements WHERE import_source = 'ringcentral'"));
        Assert.Equal(importable, await workspace.Database.CountAsync("SELECT count(*) FROM engagements"));
        Assert.True(await workspace.Database.CountAsync("SELECT count(*) FROM engagements WHERE participants @> '[{\"affiliation\":\"internal\"}]' AND participants @> '[{\"affiliation\":\"external\"}]'") > 0);
        await AssertMediaIdenticalAsync(workspace, fake, malformed);
        // Tokens were renewed mid-import, each single-use refresh token used once.
        Assert.True(fake.TokensIssued >= 2, $"{fake.TokensIssued} tokens issued");
        Assert.Equal(0, fake.RefusedRefreshes);
        AssertNoSecretIn(fake, first.Stdout + first.Stderr);

        var requests = fake.Traffic.TotalRequests;
        var heavy = fake.Traffic.InGroup(RingCentralFakeUsagePlan.Heavy);
        var recorded = fake.Calls.Except(malformed).Count(c => c.Recording is not null);
        output.WriteLine($"RingCentral: {importable} calls imported ({recorded} with a recording) in {requests} requests: " +
            $"{(double)requests / importable:F2} requests per imported call, {(double)heavy / importable:F2} Heavy per call " +
            $"({fake.Traffic.ToPath("/restapi/v1.0/account/~/call-log")} call-log pages, {fake.Traffic.Responses(500)} answered 500, {fake.TokensIssued} tokens)");
        Assert.Equal(0, fake.Traffic.ToPath($"/restapi/v1.0/account/~/call-log/")); // no per-call detail request

        var requestsBefore = fake.Traffic.TotalRequests;
        using var second = await workspace.RunAsync(args);
        var again = RunnerWorkspace.Summary(second);
        Assert.True(second.ExitCode is ExitCodes.Success or ExitCodes.CallsFailed, second.Stderr);
        Assert.Equal((fake.Calls.Count, 0, importable), (again.Total, again.Processed, again.Skipped));
        Assert.Equal(importable, await workspace.Database.CountAsync("SELECT count(*) FROM engagements"));
        // A finished import is not listed again: only the JWT grant and the credentials check go out.
        Assert.Equal(["/restapi/oauth/token", "/restapi/v1.0/account/~/extension/~"], fake.Traffic.Requests.Skip(requestsBefore).Select(r => r.Path));
        AssertNoSecretIn(fake, second.Stdout + second.Stderr);
    }

    [Fact]
    public async Task RealDefaultLimits_HeavyGroupNeverOverTenAMinute_AndNoPenaltyProvoked()
    {
        await using var fake = await RingCentralFake.StartAsync(new RingCentralFakeOptions
        {
            CallCount = 14, CallsFrom = YearStart, CallsTo = YearEnd, MaxPerPage = 5, RecordedFraction = 1, ShortCallFraction = 0,
            UsagePlan = RingCentralFakeUsagePlan.Documented,
        });
        await using var workspace = await RunnerWorkspace.CreateAsync();
        // No override: the runner keeps RingCentral's own groups (Heavy 10/min, Light 50/min, Auth 5/min).
        using var runner = await RunnerProcess.RunAsync(YearArgs(workspace, fake, "--concurrency", "4"), new Dictionary<string, string>(), TimeSpan.FromMinutes(6));

        Assert.True(runner.ExitCode == ExitCodes.Success, runner.Stderr);
        Assert.Equal(fake.Calls.Count, RunnerWorkspace.Summary(runner).Processed);
        Assert.True(fake.Traffic.InGroup(RingCentralFakeUsagePlan.Heavy) > 10, "the import needs more than one minute's Heavy requests");
        Assert.Equal(0, fake.Traffic.Faults(RingCentralFakeFault.RateLimited));
        Assert.True(fake.Traffic.MaxInWindow(RingCentralFakeUsagePlan.Heavy, TimeSpan.FromMinutes(1)) <= 10);
        await AssertMediaIdenticalAsync(workspace, fake, []);
        output.WriteLine($"RingCentral at its real limits: {fake.Calls.Count} calls, {fake.Traffic.TotalRequests} requests, {fake.Traffic.InGroup(RingCentralFakeUsagePlan.Heavy)} Heavy");
    }

    [Fact]
    public async Task RefusedJwt_CannotStart_SaysWhatToDo_AndNeverPrintsTheSecrets()
    {
        await using var fake = await RingCentralFake.StartAsync();
        await using var workspace = await RunnerWorkspace.CreateAsync();
        var credentials = new Dictionary<string, string>(fake.Credentials) { ["jwt"] = "eyJ-wrong-jwt-5f2c9a" };
        var path = workspace.WriteCredentials(System.Text.Json.JsonSerializer.Serialize(credentials));
        using var runner = await workspace.RunAsync(workspace.ImportArgs("ringcentral", path, "--verbose"));

        Assert.Equal(ExitCodes.CouldNotStart, runner.ExitCode);
        Assert.Contains("refused", runner.Stderr, StringComparison.Ordinal);
        Assert.Contains("jwt", runner.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("eyJ-wrong-jwt-5f2c9a", runner.Stdout + runner.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(fake.Options.ClientSecret, runner.Stdout + runner.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownFilter_CannotStart_NamingTheSupportedKeys()
    {
        await using var fake = await RingCentralFake.StartAsync();
        await using var workspace = await RunnerWorkspace.CreateAsync();
        using var runner = await workspace.RunAsync(workspace.ImportArgs("ringcentral", workspace.WriteCredentials(fake.CredentialsJson()), "--filter", "user=ada"));

        Assert.Equal(ExitCodes.CouldNotStart, runner.ExitCode);
        Assert.Contains("direction, extensionId", runner.Stderr, StringComparison.Ordinal);
    }

    private static async Task AssertMediaIdenticalAsync(RunnerWorkspace workspace, RingCentralFake fake, IReadOnlyCollection<RingCentralFakeCall> malformed)
    {
        var stored = new Dictionary<string, string?>(StringComparer.Ordinal);
        await using (var command = workspace.Database.DataSource.CreateCommand("SELECT source_call_id, media_uri FROM engagements"))
        await using (var reader = await command.ExecuteReaderAsync())
            while (await reader.ReadAsync()) stored[reader.GetString(0)] = reader.IsDBNull(1) ? null : reader.GetString(1);
        foreach (var call in fake.Calls.Where(c => !malformed.Contains(c)))
        {
            Assert.True(stored.TryGetValue(call.TelephonySessionId, out var mediaUri), $"call {call.TelephonySessionId} not imported");
            if (call.Recording is null)
            {
                Assert.Null(mediaUri);
                continue;
            }
            Assert.NotNull(mediaUri);
            var bytes = await File.ReadAllBytesAsync(new Uri(mediaUri).LocalPath);
            Assert.Equal(call.Recording.Sha256, Convert.ToHexStringLower(SHA256.HashData(bytes)));
        }
    }

    private static void AssertNoSecretIn(RingCentralFake fake, string output)
    {
        Assert.DoesNotContain(fake.Options.ClientSecret, output, StringComparison.Ordinal);
        Assert.DoesNotContain(fake.Options.Jwt, output, StringComparison.Ordinal);
        foreach (var token in fake.IssuedTokens) Assert.DoesNotContain(token, output, StringComparison.Ordinal);
    }
}
