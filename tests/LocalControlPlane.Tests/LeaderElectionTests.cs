using k8s;
using k8s.LeaderElection;
using k8s.LeaderElection.ResourceLock;

namespace CallImport.LocalControlPlane.Tests;

/// <summary>The C# client's own LeaderElector, which the operator uses, against the plane's Lease semantics.</summary>
public sealed class LeaderElectionTests : PlaneTest
{
    [Fact]
    public async Task SecondCandidate_WaitsWhileTheFirstRenews_AndTakesOverWhenItStops()
    {
        using var firstStop = new CancellationTokenSource();
        using var secondStop = new CancellationTokenSource();
        using var first = Elector("op-1");
        using var second = Elector("op-2");
        var firstLeading = new TaskCompletionSource();
        var secondLeading = new TaskCompletionSource();
        first.OnStartedLeading += () => firstLeading.TrySetResult();
        second.OnStartedLeading += () => secondLeading.TrySetResult();

        var firstRun = first.RunUntilLeadershipLostAsync(firstStop.Token);
        await firstLeading.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var secondRun = second.RunAndTryToHoldLeadershipForeverAsync(secondStop.Token);
        // Several of the second candidate's retry periods pass while the first renews.
        await EventuallyAsync(async () => (await Client.ReadNamespacedLeaseAsync("operator", "default")).Spec.RenewTime
            > DateTime.UtcNow.AddMilliseconds(-300) && first.IsLeader(), "a renewal by the first candidate");
        Assert.False(second.IsLeader());

        await firstStop.CancelAsync();
        await IgnoreCancellation(firstRun);
        await secondLeading.Task.WaitAsync(TimeSpan.FromSeconds(30));

        var lease = await Client.ReadNamespacedLeaseAsync("operator", "default");
        Assert.Equal("op-2", lease.Spec.HolderIdentity);
        Assert.Equal(1, lease.Spec.LeaseTransitions);
        await secondStop.CancelAsync();
        await IgnoreCancellation(secondRun);
    }

    private LeaderElector Elector(string identity) =>
        new(new LeaderElectionConfig(new LeaseLock(Client, "default", "operator", identity))
        {
            LeaseDuration = TimeSpan.FromSeconds(2),
            RenewDeadline = TimeSpan.FromSeconds(1),
            RetryPeriod = TimeSpan.FromMilliseconds(200),
        });

    private static async Task IgnoreCancellation(Task run)
    {
        try
        {
            await run;
        }
        catch (OperationCanceledException)
        {
            // Stopping a candidate cancels its loop.
        }
    }
}
