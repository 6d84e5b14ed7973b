namespace CallImport.LocalControlPlane.Kubelet;

/// <summary>Labels and the finalizer the Job controller puts on a Job's pods (kube 1.32).</summary>
internal static class JobLabels
{
    public const string ControllerUid = "batch.kubernetes.io/controller-uid";
    public const string JobName = "batch.kubernetes.io/job-name";
    public const string LegacyControllerUid = "controller-uid";
    public const string LegacyJobName = "job-name";
    public const string TrackingFinalizer = "batch.kubernetes.io/job-tracking";
}
