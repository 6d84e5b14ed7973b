using k8s;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CallImport.LocalControlPlane.Kubelet;

/// <summary>
/// Runs a <see cref="Kubelet"/> beside a <see cref="LocalControlPlane"/>, talking to it over HTTP, and
/// registers each pod's log file so <c>kubectl logs</c> works. Pass one in
/// <see cref="LocalControlPlaneOptions.Components"/> to choose the options, or set <c>RunKubelet</c>.
/// </summary>
public sealed class KubeletComponent(KubeletOptions options, ILogger? logger = null) : IControlPlaneComponent
{
    private Kubelet? _kubelet;
    private Kubernetes? _client;

    /// <summary>The running kubelet (null before start).</summary>
    public Kubelet? Kubelet => _kubelet;

    public async Task StartAsync(LocalControlPlane plane, CancellationToken cancellationToken)
    {
        var previous = options.LogFileOpened;
        options.LogFileOpened = (ns, pod, path) =>
        {
            plane.PodLogs.Register(ns, pod, path);
            previous?.Invoke(ns, pod, path);
        };
        _client = new Kubernetes(new KubernetesClientConfiguration { Host = plane.Url.ToString() });
        _kubelet = new Kubelet(_client, options, logger ?? NullLogger.Instance, plane.Options.TimeProvider);
        await _kubelet.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (_kubelet is not null)
        {
            await _kubelet.StopAsync(CancellationToken.None).ConfigureAwait(false);
            _kubelet.Dispose();
        }

        _client?.Dispose();
    }
}
