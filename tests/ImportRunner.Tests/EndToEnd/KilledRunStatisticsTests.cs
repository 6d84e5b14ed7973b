using CallImport.ImportRunner.Tests.Cli;
using CallImport.Testing.Fakes.Grain;

namespace CallImport.ImportRunner.Tests.EndToEnd;

/// <summary>
/// A run killed before any heartbeat (the audit's 206 requests recorded of 2,038 served) has still reported what
/// its finished calls cost: each call's commit carries the run's statistics with it.
/// </summary>
public sealed class KilledRunStatisticsTests
{
    [Fact]
    public async Task RunKilledBeforeItsFirstHeartbeat_HasRecordedTheRequestsOfEveryFinishedCall()
    {
        await using var grain = await GrainFake.StartAsync(new GrainFakeOptions { RecordingCount = 200, PageSize = 50 });
        await using var workspace = await RunnerWorkspace.CreateAsync();
        var args = workspace.ImportArgs("grain", workspace.WriteCredentials(grain.CredentialsJson()), "--concurrency", "4");
        using var runner = RunnerProcess.Start(args, new Dictionary<string, string> { ["CALLIMPORT_PLATFORM_RPS_OVERRIDE"] = "60" });

        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (await workspace.Database.CountAsync("SELECT count(*) FROM import_calls WHERE state = 'done'") < 20)
        {
            Assert.False(runner.HasExited || DateTime.UtcNow > deadline, "no progress: " + runner.Stderr);
            await Task.Delay(10);
        }
        await runner.KillAsync();

        var done = await workspace.Database.CountAsync("SELECT count(*) FROM import_calls WHERE state = 'done'");
        var recorded = await workspace.Database.CountAsync("SELECT requests FROM imports");
        // Each finished call fetched its recording and its transcript; the credentials check and listing come first.
        Assert.True(recorded >= 2 * done, $"{recorded} requests recorded for {done} finished calls ({grain.Traffic.TotalRequests} served)");
        Assert.True(recorded <= grain.Traffic.TotalRequests, $"{recorded} recorded, only {grain.Traffic.TotalRequests} served");
    }
}
