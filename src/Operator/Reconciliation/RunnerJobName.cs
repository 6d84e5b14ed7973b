using System.Security.Cryptography;
using System.Text;

namespace CallImport.Operator.Reconciliation;

/// <summary>
/// The deterministic name of an ImportJob's run, <c>&lt;importjob&gt;-r&lt;n&gt;</c>, so that a repeated create is
/// harmless. Job names end up in a pod label (at most 63 characters): longer ones keep a prefix and a hash.
/// </summary>
public static class RunnerJobName
{
    private const int MaxLength = 63;

    public static string For(string importJobName, int runNumber)
    {
        var suffix = $"-r{runNumber}";
        if (importJobName.Length + suffix.Length <= MaxLength)
            return importJobName + suffix;
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(importJobName)))[..8];
        var prefix = importJobName[..(MaxLength - suffix.Length - hash.Length - 1)].TrimEnd('-', '.');
        return $"{prefix}-{hash}{suffix}";
    }
}
