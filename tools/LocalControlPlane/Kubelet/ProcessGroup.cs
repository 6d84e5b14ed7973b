using System.Diagnostics;

namespace CallImport.LocalControlPlane.Kubelet;

/// <summary>
/// A container's processes share one process group (started through <c>setsid</c>), so the whole container
/// can be killed at once, including children left behind after its main process died — as a runtime tears
/// down a container when PID 1 exits.
/// </summary>
internal static class ProcessGroup
{
    public const string SetSid = "/usr/bin/setsid";
    private const string KillCommand = "/usr/bin/kill";

    public static bool IsSupported => !OperatingSystem.IsWindows() && File.Exists(SetSid) && File.Exists(KillCommand);

    // The kill(1) binary rather than interop keeps the project free of unsafe code; kills are rare.
    public static void Kill(int groupId)
    {
        if (!IsSupported || groupId <= 1)
        {
            return;
        }

        var info = new ProcessStartInfo(KillCommand) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        info.ArgumentList.Add("-KILL");
        info.ArgumentList.Add("--");
        info.ArgumentList.Add($"-{groupId}");
        using var kill = Process.Start(info);
        kill?.WaitForExit(TimeSpan.FromSeconds(10));
    }
}
