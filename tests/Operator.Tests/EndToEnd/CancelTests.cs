using CallImport.ImportJobs;

namespace CallImport.Operator.Tests.EndToEnd;

[Collection(EndToEndCollection.Name)]
public sealed class CancelTests(ControlPlaneFixture fixture)
{
    [SkippableFact]
    public async Task CancelSetWhileRunning_EndsCancelled_RunnerJobDeleted_RecordKept()
    {
        Kubectl.SkipWhenAbsent();
        await using var scenario = await ImportScenario.StartAsync(fixture, "cancel", new Testing.Fakes.Grain.GrainFakeOptions { RecordingCount = 20 });
        scenario.Grain.Faults.DelayNext(100_000, TimeSpan.FromMilliseconds(500));
        await scenario.StartOperatorAsync();
        (await scenario.Kubectl.ApplyAsync(scenario.SecretYaml())).EnsureSuccess();
        (await scenario.Kubectl.ApplyAsync(scenario.ImportJobYaml("cancelled"))).EnsureSuccess();
        await scenario.WaitForPhaseAsync("cancelled", ImportJobPhase.Running);

        (await scenario.Kubectl.RunAsync("patch", "importjob", "cancelled", "--type", "merge", "-p", """{"spec":{"cancel":true}}""")).EnsureSuccess();

        var cancelled = await scenario.WaitForPhaseAsync("cancelled", ImportJobPhase.Cancelled);
        Assert.Null(cancelled.Status!.ActiveRun);
        Assert.Equal(RunOutcomes.Stopped, cancelled.Status.Runs!.Single().Outcome);
        await ImportScenario.EventuallyAsync(async () => (await scenario.RunnerJobsAsync("cancelled")).Count == 0, "the runner Job deleted");
        var table = (await scenario.Kubectl.RunAsync("get", "ij", "cancelled", "--no-headers")).EnsureSuccess().Stdout;
        Assert.Contains("Cancelled", table);
        Assert.True(scenario.Grain.Recordings.Count > cancelled.Status.ProcessedCalls.GetValueOrDefault());
        // Audit: the cancel is an Event anyone with kubectl can see.
        var described = (await scenario.Kubectl.RunAsync("describe", "importjob", "cancelled")).EnsureSuccess().Stdout;
        Assert.Contains("CancelRequested", described);
    }

    [SkippableFact]
    public async Task ImportJobDeletedWhileRunning_ItsRunnerJobAndProcessGoFirst_ThenTheObject()
    {
        Kubectl.SkipWhenAbsent();
        await using var scenario = await ImportScenario.StartAsync(fixture, "delete", new Testing.Fakes.Grain.GrainFakeOptions { RecordingCount = 20 });
        scenario.Grain.Faults.DelayNext(100_000, TimeSpan.FromMilliseconds(500));
        await scenario.StartOperatorAsync();
        (await scenario.Kubectl.ApplyAsync(scenario.SecretYaml())).EnsureSuccess();
        (await scenario.Kubectl.ApplyAsync(scenario.ImportJobYaml("deleted"))).EnsureSuccess();
        await scenario.WaitForPhaseAsync("deleted", ImportJobPhase.Running);
        var pod = await PodWithProcessAsync(scenario, "deleted-r1");
        var pid = int.Parse(pod.Metadata.Annotations[LocalControlPlane.Kubelet.PodAnnotations.ProcessId], System.Globalization.CultureInfo.InvariantCulture);

        // kubectl waits until the object is gone, which the finalizer holds until the runner Job is.
        (await scenario.Kubectl.RunAsync("delete", "importjob", "deleted", "--timeout=90s")).EnsureSuccess();

        Assert.Null(await scenario.GetAsync("deleted"));
        Assert.Empty(await scenario.RunnerJobsAsync("deleted"));
        await ImportScenario.EventuallyAsync(() => Task.FromResult(!IsRunning(pid)), "the runner process to end");
    }

    private static async Task<k8s.Models.V1Pod> PodWithProcessAsync(ImportScenario scenario, string job)
    {
        k8s.Models.V1Pod? found = null;
        await ImportScenario.EventuallyAsync(async () =>
        {
            found = (await scenario.PodsOfAsync(job)).FirstOrDefault(p => p.Metadata.Annotations?.ContainsKey(LocalControlPlane.Kubelet.PodAnnotations.ProcessId) == true);
            return found is not null;
        }, $"a running pod of {job}");
        return found!;
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
