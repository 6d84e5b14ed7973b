using k8s;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CallImport.LocalControlPlane.Kubelet;

/// <summary>
/// Runs a <see cref="Kubelet"/> beside a <see cref="LocalControlPlane"/>, talking to it over HTTP, and
/// registers each pod's log file so <c>kubectl logs</c> works. Pass one in
/// <see cref="LocalControlPlaneOptions.Components"/> to choose the options, or set <c>RunKubelet</c>.
/// </summary>
public sealed class KubeletComponent : IControlPlaneComponent
{
    private readonly KubeletOptions options;
    private readonly ILogger logger;
    private readonly ILoggerFactory? ownedLogging;
    private Kubelet? kubelet;
    private Kubernetes? client;

    public KubeletComponent(KubeletOptions options, ILogger? logger = null)
    {
        this.options = options;
        this.logger = logger ?? NullLogger.Instance;
    }

    /// <summary>A kubelet that logs through (and disposes) the given factory.</summary>
    public KubeletComponent(KubeletOptions options, ILoggerFactory logging)
    {
        this.options = options;
        logger = logging.CreateLogger("kubelet");
        ownedLogging = logging;
    }

    /// <summary>The running kubelet (null before start).</summary>
    public Kubelet? Kubelet => kubelet;

    public async Task StartAsync(LocalControlPlane plane, CancellationToken cancellationToken)
    {
        var previous = options.LogFileOpened;
        options.LogFileOpened = (ns, pod, path) =>
        {
            plane.PodLogs.Register(ns, pod, path);
            previous?.Invoke(ns, pod, path);
        };
        client = new Kubernetes(new KubernetesClientConfiguration { Host = plane.Url.ToString() });
        kubelet = new Kubelet(client, options, logger, plane.Options.TimeProvider);
        await kubelet.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (kubelet is not null)
        {
            await kubelet.StopAsync(CancellationToken.None).ConfigureAwait(false);
            kubelet.Dispose();
        }

        client?.Dispose();
        ownedLogging?.Dispose();
    }
}
