using System.Diagnostics;
using CallImport.ImportJobs;
using CallImport.LocalControlPlane.Kubelet;
using CallImport.Testing.Fakes.Grain;

namespace CallImport.Operator.Tests.EndToEnd;

[Collection(EndToEndCollection.Name)]
public sealed class RunnerDiesTests(ControlPlaneFixture fixture)
{
    [SkippableFact]
    public async Task RunnerProcessKilledMidRun_NewPodResumes_EveryCallImportedExactlyOnce()
    {
        Kubectl.SkipWhenAbsent();
        await using var scenario = await ImportScenario.StartAsync(fixture, "runner-dies", new GrainFakeOptions { RecordingCount = 24 });
        // Slow answers keep the runner busy long enough to be killed in the middle.
        scenario.Grain.Faults.DelayNext(10_000, TimeSpan.FromMilliseconds(250));
        await scenario.StartOperatorAsync();
        (await scenario.Kubectl.ApplyAsync(scenario.SecretYaml())).EnsureSuccess();
        (await scenario.Kubectl.ApplyAsync(scenario.ImportJobYaml("dies"))).EnsureSuccess();

        await scenario.WaitForAsync("dies", i => i.Status?.ProcessedCalls >= 2, "partly imported");
        var pod = (await scenario.PodsOfAsync("dies-r1")).Single(p => p.Status?.Phase == "Running");
        var pid = int.Parse(pod.Metadata.Annotations[PodAnnotations.ProcessId], System.Globalization.CultureInfo.InvariantCulture);
        using (var process = Process.GetProcessById(pid))
            process.Kill();
        scenario.Grain.Faults.Clear();

        var done = await scenario.WaitForPhaseAsync("dies", ImportJobPhase.Completed);
        var expected = scenario.Grain.Recordings.Count;
        Assert.Equal(expected, done.Status!.ProcessedCalls);
        Assert.Equal(0, done.Status.FailedCalls);
        Assert.Equal((expected, expected), await scenario.EngagementsAsync());
        // The same Job replaced its pod (backoffLimit), so the import took one run and two pods.
        Assert.Equal(["dies-r1"], (await scenario.RunnerJobsAsync("dies")).Select(j => j.Metadata.Name));
        var pods = await scenario.PodsOfAsync("dies-r1");
        Assert.Equal(2, pods.Count);
        Assert.Contains(pods, p => p.Status?.Phase == "Failed");
        Assert.Contains(pods, p => p.Status?.Phase == "Succeeded");
    }
}
