using System.Globalization;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace CallImport.LocalControlPlane.Kubelet;

/// <summary>
/// Writes the core/v1 Events the Job controller and kubelet emit, so <c>kubectl describe job|pod</c> reads as on a cluster.
/// An event that cannot be written is logged and dropped: events never hold up the work.
/// </summary>
internal sealed class EventRecorder(IKubernetes client, ILogger logger, TimeProvider time)
{
    public const string JobController = "job-controller";
    public const string KubeletComponent = "kubelet";

    public Task JobAsync(V1Job job, string type, string reason, string message, CancellationToken ct) =>
        RecordAsync(new V1ObjectReference
        {
            ApiVersion = "batch/v1", Kind = "Job", Name = job.Metadata.Name, NamespaceProperty = job.Metadata.NamespaceProperty, Uid = job.Metadata.Uid,
        }, JobController, type, reason, message, ct);

    public Task PodAsync(V1Pod pod, string component, string type, string reason, string message, CancellationToken ct) =>
        RecordAsync(new V1ObjectReference
        {
            ApiVersion = "v1", Kind = "Pod", Name = pod.Metadata.Name, NamespaceProperty = pod.Metadata.NamespaceProperty, Uid = pod.Metadata.Uid,
            FieldPath = component == KubeletComponent ? $"spec.containers{{{pod.Spec.Containers[0].Name}}}" : null,
        }, component, type, reason, message, ct);

    private async Task RecordAsync(V1ObjectReference involved, string component, string type, string reason, string message, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var suffix = now.UtcTicks.ToString("x", CultureInfo.InvariantCulture);
        var record = new Corev1Event
        {
            Metadata = new V1ObjectMeta { Name = $"{involved.Name}.{suffix}", NamespaceProperty = involved.NamespaceProperty },
            InvolvedObject = involved,
            Type = type,
            Reason = reason,
            Message = message,
            Count = 1,
            FirstTimestamp = now.UtcDateTime,
            LastTimestamp = now.UtcDateTime,
            Source = new V1EventSource { Component = component, Host = component == KubeletComponent ? LocalNode.Name : null },
            ReportingComponent = component,
            ReportingInstance = component == KubeletComponent ? LocalNode.Name : component,
        };
        try
        {
            await client.CoreV1.CreateNamespacedEventAsync(record, involved.NamespaceProperty, cancellationToken: ct).ConfigureAwait(false);
        }
        catch (HttpOperationException e)
        {
            KubeletLog.EventDropped(logger, reason, involved.Name, (int)e.Response.StatusCode);
        }
    }
}
