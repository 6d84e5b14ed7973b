using k8s;
using CallImport.ImportJobs;

namespace CallImport.Operator.Tests.EndToEnd;

[Collection(EndToEndCollection.Name)]
public sealed class LeadershipTests(ControlPlaneFixture fixture)
{
    [SkippableFact]
    public async Task TwoReplicas_OneLeads_OneRunnerJob_AndTheOtherTakesOverWhenTheLeaderStops()
    {
        Kubectl.SkipWhenAbsent();
        await using var scenario = await ImportScenario.StartAsync(fixture, "leadership");
        var a = await scenario.StartOperatorAsync("replica-a");
        var b = await scenario.StartOperatorAsync("replica-b");
        await ImportScenario.EventuallyAsync(() => Task.FromResult(a.Leadership.IsLeader || b.Leadership.IsLeader), "a leader");
        var (leader, follower) = a.Leadership.IsLeader ? (a, b) : (b, a);
        Assert.False(follower.Leadership.IsLeader);

        using var http = new HttpClient();
        await ImportScenario.EventuallyAsync(async () => (await http.GetAsync(new Uri(leader.Url, "readyz"))).IsSuccessStatusCode, "the leader ready");
        await ImportScenario.EventuallyAsync(async () => (await http.GetAsync(new Uri(follower.Url, "readyz"))).IsSuccessStatusCode, "the follower ready (leader known)");
        Assert.True((await http.GetAsync(new Uri(follower.Url, "healthz"))).IsSuccessStatusCode);

        (await scenario.Kubectl.ApplyAsync(scenario.SecretYaml())).EnsureSuccess();
        (await scenario.Kubectl.ApplyAsync(scenario.ImportJobYaml("first"))).EnsureSuccess();
        await scenario.WaitForPhaseAsync("first", ImportJobPhase.Completed);
        Assert.Equal(["first-r1"], (await scenario.RunnerJobsAsync("first")).Select(j => j.Metadata.Name));
        var lease = await scenario.Client.CoordinationV1.ReadNamespacedLeaseAsync("callimport-operator", scenario.Namespace);
        Assert.Equal(leader == a ? "replica-a" : "replica-b", lease.Spec.HolderIdentity);

        await leader.StopAsync();
        await ImportScenario.EventuallyAsync(() => Task.FromResult(follower.Leadership.IsLeader), "the follower to take the lead");
        (await scenario.Kubectl.ApplyAsync(scenario.SecretYaml("second-credentials"))).EnsureSuccess();
        (await scenario.Kubectl.ApplyAsync(scenario.ImportJobYaml("second", secret: "second-credentials"))).EnsureSuccess();
        var second = await scenario.WaitForPhaseAsync("second", ImportJobPhase.Completed);
        // Same customer, same calls: the second import skips what the first imported.
        Assert.Equal(scenario.Grain.Recordings.Count, second.Status!.SkippedCalls + second.Status.ProcessedCalls);
        Assert.Equal(["second-r1"], (await scenario.RunnerJobsAsync("second")).Select(j => j.Metadata.Name));
        var (rows, distinct) = await scenario.EngagementsAsync();
        Assert.Equal(rows, distinct);
    }

    [SkippableFact]
    public async Task LeaderWhoseLeaseIsTakenOver_StopsItsHost_AndReportsTheLoss()
    {
        Kubectl.SkipWhenAbsent();
        await using var scenario = await ImportScenario.StartAsync(fixture, "lease-lost");
        var replica = await scenario.StartOperatorAsync("replica-a");
        await ImportScenario.EventuallyAsync(() => Task.FromResult(replica.Leadership.IsLeader), "the lead");

        // Another holder writes the Lease (as a replica that believed it expired would): the leader cannot renew.
        await ImportScenario.EventuallyAsync(async () =>
        {
            var lease = await scenario.Client.CoordinationV1.ReadNamespacedLeaseAsync("callimport-operator", scenario.Namespace);
            lease.Spec.HolderIdentity = "intruder";
            lease.Spec.LeaseDurationSeconds = 600;
            lease.Spec.RenewTime = DateTime.UtcNow;
            try
            {
                await scenario.Client.CoordinationV1.ReplaceNamespacedLeaseAsync(lease, "callimport-operator", scenario.Namespace);
                return true;
            }
            catch (k8s.Autorest.HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.Conflict)
            {
                return false; // the leader renewed in between; take it over from the new version
            }
        }, "the Lease taken over");

        await ImportScenario.EventuallyAsync(() => Task.FromResult(replica.Stopping.IsCancellationRequested), "the host to stop itself", TimeSpan.FromSeconds(60));
        Assert.True(replica.Leadership.HasLost);
        Assert.False(replica.Leadership.IsLeader);
    }

    [SkippableFact]
    public async Task StoppedLeader_ReleasesTheLease_SoTheOtherLeadsWithoutWaitingItOut()
    {
        Kubectl.SkipWhenAbsent();
        await using var scenario = await ImportScenario.StartAsync(fixture, "lease-release");
        // A Lease far longer than the test's patience: only a release lets the other replica lead in time.
        void LongLease(Dictionary<string, string?> s)
        {
            s["Operator:LeaseDuration"] = "00:10:00";
            s["Operator:LeaseRenewDeadline"] = "00:00:10";
            s["Operator:LeaseRetryPeriod"] = "00:00:01";
        }
        var a = await scenario.StartOperatorAsync("replica-a", adjust: LongLease);
        await ImportScenario.EventuallyAsync(() => Task.FromResult(a.Leadership.IsLeader), "replica-a to lead");
        var b = await scenario.StartOperatorAsync("replica-b", adjust: LongLease);
        await ImportScenario.EventuallyAsync(() => Task.FromResult(b.Leadership.Leader == "replica-a"), "replica-b to see the leader");

        var leadershipA = a.Leadership;
        await a.StopAsync();

        Assert.True(leadershipA.HasReleased);
        await ImportScenario.EventuallyAsync(() => Task.FromResult(b.Leadership.IsLeader), "replica-b to lead", TimeSpan.FromSeconds(60));
        var lease = await scenario.Client.CoordinationV1.ReadNamespacedLeaseAsync("callimport-operator", scenario.Namespace);
        Assert.Equal("replica-b", lease.Spec.HolderIdentity);
    }
}
