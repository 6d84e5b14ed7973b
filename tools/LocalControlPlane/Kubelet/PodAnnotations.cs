namespace CallImport.LocalControlPlane.Kubelet;

/// <summary>Annotations the local kubelet puts on the pods it runs, so the API server and tests can find the process and log.</summary>
public static class PodAnnotations
{
    /// <summary>Host path of the container's combined stdout+stderr; the API server serves <c>pods/{name}/log</c> from it.</summary>
    public const string LogPath = "localcontrolplane/log-path";

    /// <summary>OS process id of the container's main process (tests kill it to simulate a crash).</summary>
    public const string ProcessId = "localcontrolplane/pid";
}
