namespace CallImport.LocalControlPlane.Kubelet;

/// <summary>
/// A container cannot start yet (missing Secret or ConfigMap, unmapped image): the pod stays Pending with
/// this waiting reason and message, and the kubelet retries on the next sync, as the real one does.
/// </summary>
internal sealed class ContainerConfigException(string reason, string message) : Exception(message)
{
    public string Reason { get; } = reason;
}
