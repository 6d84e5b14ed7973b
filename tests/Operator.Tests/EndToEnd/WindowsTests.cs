using System.Globalization;
using CallImport.ImportJobs;
using Microsoft.Extensions.Time.Testing;

namespace CallImport.Operator.Tests.EndToEnd;

[Collection(EndToEndCollection.Name)]
public sealed class WindowsTests(ControlPlaneFixture fixture)
{
    [SkippableFact]
    public async Task OutsideItsWindow_WaitsWithNextWindowStart_AndAfterAnOperatorRestart_RunsWhenTheWindowOpens()
    {
        Kubectl.SkipWhenAbsent();
        await using var scenario = await ImportScenario.StartAsync(fixture, "windows");
        // The operator's clock is the test's; the runner and the API server keep the real one.
        var now = DateTimeOffset.UtcNow;
        var clock = new FakeTimeProvider(now);
        var opens = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute, 0, TimeSpan.Zero).AddHours(2);
        var closes = opens.AddHours(8);
        var before = await scenario.StartOperatorAsync("before-restart", time: clock);
        (await scenario.Kubectl.ApplyAsync(scenario.SecretYaml())).EnsureSuccess();
        (await scenario.Kubectl.ApplyAsync(scenario.ImportJobYaml("windowed", $"""
            schedule:
              window:
                start: "{opens.ToString("HH:mm", CultureInfo.InvariantCulture)}"
                end: "{closes.ToString("HH:mm", CultureInfo.InvariantCulture)}"
                timeZone: UTC
            """))).EnsureSuccess();

        var waiting = await scenario.WaitForPhaseAsync("windowed", ImportJobPhase.Waiting);
        Assert.Equal(opens, waiting.Status!.NextWindowStart);
        Assert.Contains(waiting.Status.Conditions!, c => c.Type == "Scheduled" && c.Status == "False" && c.Reason == "OutsideWindow");
        Assert.Empty(await scenario.RunnerJobsAsync("windowed"));

        // The wake-up lived only in the stopped replica's memory; the new one recomputes it from the resource.
        await before.StopAsync();
        var after = await scenario.StartOperatorAsync("after-restart", time: clock);
        await ImportScenario.EventuallyAsync(() => Task.FromResult(after.Leadership.IsLeader), "the new replica to lead");
        clock.Advance(opens - now + TimeSpan.FromMinutes(1));
        // A reconcile under way during the jump computed its wake-up from the earlier time and set the timer
        // after it; nudge the clock on (well inside the window) until the run starts, as real time would.
        for (var nudges = 0; nudges < 60 && (await scenario.GetAsync("windowed"))?.Status?.Phase == ImportJobPhase.Waiting; nudges++)
        {
            await Task.Delay(250);
            clock.Advance(TimeSpan.FromMinutes(5));
        }

        var done = await scenario.WaitForPhaseAsync("windowed", ImportJobPhase.Completed);
        Assert.Null(done.Status!.NextWindowStart);
        Assert.Equal(scenario.Grain.Recordings.Count, done.Status.ProcessedCalls);
        var job = (await scenario.RunnerJobsAsync("windowed")).Single();
        var args = job.Spec.Template.Spec.Containers[0].Args;
        Assert.Equal(ImportScenario.Rfc3339(closes), args[args.IndexOf("--stop-at") + 1]);
    }
}
