using System.Globalization;
using CallImport.Operator.Reconciliation;
using k8s.Models;

namespace CallImport.Operator.Runs;

/// <summary>Reads a runner Job (and, once it ended, its pods) into what the decision needs.</summary>
public static class RunnerJobObservation
{
    public static int? RunNumberOf(V1Job job) =>
        job.Metadata.Labels?.TryGetValue(RunnerJobLabels.Run, out var run) == true
        && int.TryParse(run, NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? number : null;

    public static RunnerJobState Read(V1Job job, IEnumerable<V1Pod> pods)
    {
        var conditions = job.Status?.Conditions ?? [];
        var failed = conditions.FirstOrDefault(c => c.Type == "Failed" && c.Status == "True");
        var complete = conditions.FirstOrDefault(c => c.Type == "Complete" && c.Status == "True");
        return new RunnerJobState
        {
            Name = job.Metadata.Name,
            RunNumber = RunNumberOf(job) ?? 0,
            ActivePods = job.Status?.Active ?? 0,
            SucceededPods = job.Status?.Succeeded ?? 0,
            FailedPods = job.Status?.Failed ?? 0,
            IsComplete = complete is not null,
            IsFailed = failed is not null,
            FailedReason = failed?.Reason,
            StartTime = Utc(job.Status?.StartTime),
            CompletionTime = Utc(job.Status?.CompletionTime) ?? Utc(failed?.LastTransitionTime),
            LastExitCode = LastExitCode(pods),
        };
    }

    /// <summary>Whether the Job ended, so that its pods' exit codes are worth reading.</summary>
    public static bool HasEnded(V1Job job) =>
        job.Status?.Conditions?.Any(c => c.Type is "Failed" or "Complete" && c.Status == "True") == true;

    /// <summary>The runner container's exit code in the pod that ended last.</summary>
    private static int? LastExitCode(IEnumerable<V1Pod> pods) =>
        pods.Select(p => p.Status?.ContainerStatuses?.FirstOrDefault(c => c.Name == RunnerJobTemplate.ContainerName)?.State?.Terminated)
            .Where(t => t is not null)
            .OrderBy(t => t!.FinishedAt ?? DateTime.MinValue)
            .Select(t => (int?)t!.ExitCode)
            .LastOrDefault();

    private static DateTimeOffset? Utc(DateTime? time) =>
        time is { } t ? new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc)) : null;
}
