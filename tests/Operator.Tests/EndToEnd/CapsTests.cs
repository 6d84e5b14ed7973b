using k8s;
using CallImport.ImportJobs;
using CallImport.Operator.Runs;

namespace CallImport.Operator.Tests.EndToEnd;

[Collection(EndToEndCollection.Name)]
public sealed class CapsTests(ControlPlaneFixture fixture)
{
    [SkippableFact]
    public async Task TwoImportJobsAtOnce_WithOneRunAllowed_OneQueuesUntilTheOtherEnds()
    {
        Kubectl.SkipWhenAbsent();
        await using var scenario = await ImportScenario.StartAsync(fixture, "caps");
        scenario.Grain.Faults.DelayNext(40, TimeSpan.FromMilliseconds(100));
        await scenario.StartOperatorAsync(adjust: s => s["Operator:MaxConcurrentRuns"] = "1");
        (await scenario.Kubectl.ApplyAsync(scenario.SecretYaml())).EnsureSuccess();
        (await scenario.Kubectl.ApplyAsync(scenario.ImportJobYaml("one", "credentialsPolicy: Retain") + "\n---\n"
            + scenario.ImportJobYaml("two", "credentialsPolicy: Retain"))).EnsureSuccess();

        // Whichever is reconciled second waits for the slot; never both run at once.
        ImportJob? queued = null;
        var mostAtOnce = 0;
        var deadline = DateTime.UtcNow + ImportScenario.Patience;
        while (true)
        {
            var both = new[] { await scenario.GetAsync("one"), await scenario.GetAsync("two") };
            queued ??= both.FirstOrDefault(i => i?.Status?.Phase == ImportJobPhase.Queued);
            var jobs = await scenario.Client.BatchV1.ListNamespacedJobAsync(scenario.Namespace, labelSelector: RunnerJobLabels.ManagedSelector);
            mostAtOnce = Math.Max(mostAtOnce, jobs.Items.Count(j => !RunnerJobObservation.HasEnded(j)));
            if (both.All(i => i?.Status?.Phase == ImportJobPhase.Completed))
                break;
            Assert.True(DateTime.UtcNow < deadline, $"not both Completed: {string.Join(", ", both.Select(i => i?.Status?.Phase))}");
            await Task.Delay(100);
        }

        Assert.NotNull(queued);
        Assert.Contains(queued.Status!.Conditions!, c => c.Type == "Scheduled" && c.Reason == "ConcurrencyLimit");
        Assert.Equal(1, mostAtOnce);
    }
}
