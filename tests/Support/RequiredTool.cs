namespace CallImport.Testing;

/// <summary>
/// A tool the tests need from the machine. Locally a missing one skips its tests with the reason; under
/// <c>CI=true</c> it fails them, saying what to install, so a CI machine never passes by skipping.
/// </summary>
public static class RequiredTool
{
    public const string KubectlInstall =
        "kubectl (1.32 or newer) ships with this machine image; install it from https://kubernetes.io/docs/tasks/tools/ "
        + "(Debian's kubernetes-client package is far too old)";

    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Throws under CI when <paramref name="binary"/> is missing; otherwise returns the reason to skip (null when present).</summary>
    public static string? SkipReason(string? binary, string tool, string install, bool? ci = null)
    {
        if (binary is not null)
            return null;
        if (ci ?? IsCi)
            throw new InvalidOperationException($"{tool} is not installed, and CI=true does not allow skipping its tests: {install}.");
        return $"{tool} is not installed on this machine";
    }

    /// <summary>The first <paramref name="name"/> on PATH, or null.</summary>
    public static string? OnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);
}
