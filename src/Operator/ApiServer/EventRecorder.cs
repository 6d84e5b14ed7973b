using System.Net;
using System.Security.Cryptography;
using System.Text;
using CallImport.ImportJobs;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace CallImport.Operator.ApiServer;

/// <summary>
/// core/v1 Events on ImportJobs (what <c>kubectl describe importjob</c> shows). A repeat of the same event
/// (type, reason, message) on the same object bumps its count and lastTimestamp instead of adding a row.
/// </summary>
internal sealed class EventRecorder(IKubernetes client, TimeProvider time, ILogger<EventRecorder> logger)
{
    public const string Component = "callimport-operator";

    public async Task RecordAsync(ImportJob importJob, string type, string reason, string message, CancellationToken cancellationToken)
    {
        var meta = importJob.Metadata;
        var now = time.GetUtcNow().UtcDateTime;
        var name = $"{meta.Name}.{Fingerprint(meta.Uid, type, reason, message)}";
        try
        {
            await client.CoreV1.CreateNamespacedEventAsync(new Corev1Event
            {
                ApiVersion = "v1",
                Kind = "Event",
                Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = meta.Namespace },
                InvolvedObject = new V1ObjectReference
                {
                    ApiVersion = ImportJobResource.ApiVersion,
                    Kind = ImportJobResource.Kind,
                    Name = meta.Name,
                    NamespaceProperty = meta.Namespace,
                    Uid = meta.Uid,
                    ResourceVersion = meta.ResourceVersion,
                },
                Reason = reason,
                Message = message,
                Type = type,
                Count = 1,
                FirstTimestamp = now,
                LastTimestamp = now,
                Source = new V1EventSource { Component = Component },
                ReportingComponent = Component,
            }, meta.Namespace, cancellationToken: cancellationToken);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Conflict)
        {
            await BumpAsync(meta.Namespace!, name, reason, now, cancellationToken);
        }
        catch (HttpOperationException e)
        {
            // An event is information, not state: losing one must not fail the reconcile.
            logger.LogWarning("Could not record event {Reason} on {ImportJob}: HTTP {Status}", reason, meta.Name, (int)e.Response.StatusCode);
        }
    }

    /// <summary>The same event again: one more in its count, a new lastTimestamp.</summary>
    private async Task BumpAsync(string ns, string name, string reason, DateTime now, CancellationToken cancellationToken)
    {
        try
        {
            var existing = await client.CoreV1.ReadNamespacedEventAsync(name, ns, cancellationToken: cancellationToken);
            var patch = $$"""{"count":{{(existing.Count ?? 1) + 1}},"lastTimestamp":"{{now:yyyy-MM-dd'T'HH:mm:ss'Z'}}"}""";
            await client.CoreV1.PatchNamespacedEventAsync(new V1Patch(patch, V1Patch.PatchType.MergePatch), name, ns, cancellationToken: cancellationToken);
        }
        catch (HttpOperationException e)
        {
            logger.LogWarning("Could not count a repeat of event {Reason} ({Event}): HTTP {Status}", reason, name, (int)e.Response.StatusCode);
        }
    }

    private static string Fingerprint(params string?[] parts) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', parts))))[..16];
}
