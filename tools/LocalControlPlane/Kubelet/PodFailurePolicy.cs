using k8s.Models;

namespace CallImport.LocalControlPlane.Kubelet;

/// <summary>
/// A Job's <c>podFailurePolicy</c>, for the rules with action FailJob on container exit codes (what the CallImport
/// operator uses): a failed pod whose container exit code matches fails the whole Job at once, reason PodFailurePolicy.
/// </summary>
internal static class PodFailurePolicy
{
    /// <summary>The upstream condition message when a FailJob rule matches a newly failed pod; null otherwise.</summary>
    public static string? FailJobMessage(V1Job job, IEnumerable<V1Pod> newlyFailed)
    {
        var rules = job.Spec.PodFailurePolicy?.Rules ?? [];
        foreach (var pod in newlyFailed)
        {
            for (var index = 0; index < rules.Count; index++)
            {
                var (rule, onExit) = (rules[index], rules[index].OnExitCodes);
                if (rule.Action != "FailJob" || onExit is null)
                    continue;
                foreach (var container in pod.Status?.ContainerStatuses ?? [])
                {
                    if (container.State?.Terminated is not { } terminated || terminated.ExitCode == 0)
                        continue;
                    if (onExit.ContainerName is { } name && name != container.Name)
                        continue;
                    var listed = onExit.Values?.Contains(terminated.ExitCode) == true;
                    if (listed == (onExit.OperatorProperty == "In"))
                        return $"Container {container.Name} for pod {pod.Metadata.NamespaceProperty}/{pod.Metadata.Name} failed with exit code {terminated.ExitCode} matching FailJob rule at index {index}";
                }
            }
        }
        return null;
    }
}
