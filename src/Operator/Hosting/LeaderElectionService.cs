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
    }
}
