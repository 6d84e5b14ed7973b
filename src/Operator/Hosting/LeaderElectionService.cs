using k8s;
using k8s.LeaderElection;
using k8s.LeaderElection.ResourceLock;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CallImport.Operator.Hosting;

/// <summary>
/// Holds the coordination.k8s.io Lease so that one replica reconciles. A replica that loses the lead stops
/// the host (Program exits non-zero, so Kubernetes restarts it) rather than keep acting on a stale belief.
/// </summary>
internal sealed class LeaderElectionService(IKubernetes client, OperatorSettings settings, OperatorIdentity identity, Leadership leadership,
    IHostApplicationLifetime lifetime, ILogger<LeaderElectionService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var ns = string.IsNullOrEmpty(settings.LeaseNamespace) ? Environment.GetEnvironmentVariable("POD_NAMESPACE") ?? "default" : settings.LeaseNamespace;
        var lease = new LeaseLock(client, ns, settings.LeaseName, identity.Name);
        using var elector = new LeaderElector(new LeaderElectionConfig(lease)
        {
            LeaseDuration = settings.LeaseDuration,
            RenewDeadline = settings.LeaseRenewDeadline,
            RetryPeriod = settings.LeaseRetryPeriod,
        });
        elector.OnStartedLeading += () =>
        {
            logger.LogInformation("{Identity} leads (Lease {Namespace}/{Lease})", identity.Name, ns, settings.LeaseName);
            leadership.Started();
        };
        elector.OnNewLeader += leader =>
        {
            leadership.NewLeader(leader);
            logger.LogInformation("The leader is {Leader}", leader);
        };
        elector.OnStoppedLeading += () =>
        {
            if (stoppingToken.IsCancellationRequested)
                return;
            leadership.Lost();
            logger.LogError("{Identity} lost the lead; stopping so that it restarts as a follower", identity.Name);
            lifetime.StopApplication();
        };
        elector.OnError += e => logger.LogWarning(e, "Leader election: {Error}", e.Message);
        try
        {
            await elector.RunAndTryToHoldLeadershipForeverAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        // The controller stopped before this service (hosted services stop in reverse order): hand the lead over now,
        // rather than leave the other replica waiting out the Lease after every rollout.
        if (leadership.IsLeader)
            await ReleaseAsync(ns);
    }

    /// <summary>Empties the Lease's holder (as client-go's ReleaseOnCancel does), only if this replica still holds it.</summary>
    private async Task ReleaseAsync(string ns)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            var lease = await client.CoordinationV1.ReadNamespacedLeaseAsync(settings.LeaseName, ns, cancellationToken: timeout.Token);
            if (lease.Spec?.HolderIdentity != identity.Name)
                return;
            // Empty, not absent: the client's elector treats a missing holder as "no Lease yet" and tries to create one.
            lease.Spec.HolderIdentity = "";
            lease.Spec.LeaseDurationSeconds = 1;
            lease.Spec.RenewTime = DateTime.UtcNow;
            await client.CoordinationV1.ReplaceNamespacedLeaseAsync(lease, settings.LeaseName, ns, cancellationToken: timeout.Token);
            leadership.Released();
            logger.LogInformation("{Identity} released the Lease {Namespace}/{Lease} on shutdown", identity.Name, ns, settings.LeaseName);
        }
        catch (Exception e) when (e is k8s.Autorest.HttpOperationException or HttpRequestException or OperationCanceledException)
        {
            // Not fatal: the Lease then expires on its own.
            logger.LogWarning("Could not release the Lease {Namespace}/{Lease}: {Error}", ns, settings.LeaseName, e.Message);
        }
    }
}
