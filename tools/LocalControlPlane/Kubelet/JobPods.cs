using k8s;
using k8s.Models;

namespace CallImport.LocalControlPlane.Kubelet;

/// <summary>The pods a Job owns and the pod the Job controller creates from its template.</summary>
internal static class JobPods
{
    public static bool BelongsTo(V1Pod pod, V1Job job) =>
        pod.Metadata.Labels?.TryGetValue(JobLabels.ControllerUid, out var uid) == true ? uid == job.Metadata.Uid
            : pod.Metadata.OwnerReferences?.Any(o => o.Controller == true && o.Uid == job.Metadata.Uid) == true;

    public static bool HasTrackingFinalizer(V1Pod pod) => pod.Metadata.Finalizers?.Contains(JobLabels.TrackingFinalizer) == true;

    public static bool IsTerminal(V1Pod pod) => pod.Status?.Phase is "Succeeded" or "Failed";

    public static V1Pod FromTemplate(V1Job job)
    {
        var template = job.Spec.Template;
        var labels = new Dictionary<string, string>(template.Metadata?.Labels ?? new Dictionary<string, string>())
        {
            [JobLabels.ControllerUid] = job.Metadata.Uid,
            [JobLabels.JobName] = job.Metadata.Name,
            [JobLabels.LegacyControllerUid] = job.Metadata.Uid,
            [JobLabels.LegacyJobName] = job.Metadata.Name,
        };
        return new V1Pod
        {
            ApiVersion = "v1",
            Kind = "Pod",
            Metadata = new V1ObjectMeta
            {
                GenerateName = $"{job.Metadata.Name}-",
                NamespaceProperty = job.Metadata.NamespaceProperty,
                Labels = labels,
                Annotations = template.Metadata?.Annotations is { } annotations ? new Dictionary<string, string>(annotations) : null,
                Finalizers = [JobLabels.TrackingFinalizer],
                OwnerReferences =
                [
                    new V1OwnerReference
                    {
                        ApiVersion = "batch/v1",
                        Kind = "Job",
                        Name = job.Metadata.Name,
                        Uid = job.Metadata.Uid,
                        Controller = true,
                        BlockOwnerDeletion = true,
                    },
                ],
            },
            // A deep copy, so the cached Job is never shared with the pod being created.
            Spec = KubernetesJson.Deserialize<V1PodSpec>(KubernetesJson.Serialize(template.Spec)),
        };
    }
}
