using Microsoft.Extensions.Logging;

namespace CallImport.LocalControlPlane.Kubelet;

/// <summary>The kubelet's log events.</summary>
internal static partial class KubeletLog
{
    [LoggerMessage(LogLevel.Debug, "Watch of {What} restarts: {Reason}")]
    public static partial void WatchRestarted(ILogger logger, string what, string reason);

    [LoggerMessage(LogLevel.Warning, "Sync failed; retrying")]
    public static partial void SyncFailed(ILogger logger, Exception exception);

    [LoggerMessage(LogLevel.Information, "Started pod {Namespace}/{Pod} as process {Pid}: {Executable}")]
    public static partial void PodStarted(ILogger logger, string @namespace, string pod, int pid, string executable);

    [LoggerMessage(LogLevel.Information, "Pod {Namespace}/{Pod} container exited with {ExitCode} ({Reason})")]
    public static partial void PodExited(ILogger logger, string @namespace, string pod, int exitCode, string reason);

    [LoggerMessage(LogLevel.Information, "Pod {Namespace}/{Pod} cannot start yet: {Reason}: {Message}")]
    public static partial void PodWaiting(ILogger logger, string @namespace, string pod, string reason, string message);

    [LoggerMessage(LogLevel.Information, "Killing pod {Namespace}/{Pod} (process {Pid}): {Why}")]
    public static partial void PodKilled(ILogger logger, string @namespace, string pod, int pid, string why);

    [LoggerMessage(LogLevel.Information, "Job {Namespace}/{Job}: created pod {Pod}")]
    public static partial void PodCreated(ILogger logger, string @namespace, string job, string pod);

    [LoggerMessage(LogLevel.Information, "Job {Namespace}/{Job} finished: {Condition} ({Reason})")]
    public static partial void JobFinished(ILogger logger, string @namespace, string job, string condition, string reason);

    [LoggerMessage(LogLevel.Debug, "Event {Reason} for {Name} not recorded: HTTP {Code}")]
    public static partial void EventDropped(ILogger logger, string reason, string name, int code);
}
