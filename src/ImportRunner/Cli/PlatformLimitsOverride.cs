using System.Globalization;
using CallImport.ImportRunner.Limits;
using Microsoft.Extensions.Logging;

namespace CallImport.ImportRunner.Cli;

/// <summary>
/// Replaces a platform's declared limit groups with one group at the given requests-per-second for sandboxes
/// and local fakes, which allow more than the vendor does (<c>CALLIMPORT_PLATFORM_RPS_OVERRIDE</c>). Never set
/// it against a real vendor: it is logged loudly.
/// </summary>
public static class PlatformLimitsOverride
{
    public const string Variable = "CALLIMPORT_PLATFORM_RPS_OVERRIDE";

    public static PlatformLimits Apply(PlatformLimits declared, ILogger logger)
    {
        if (!double.TryParse(Environment.GetEnvironmentVariable(Variable), NumberStyles.Float, CultureInfo.InvariantCulture, out var rps) || rps <= 0)
            return declared;
        logger.LogWarning("{Variable} replaces the platform's {Declared} requests/s with {Override}: for sandboxes and fakes only",
            Variable, declared.RequestsPerSecond, rps);
        return declared with { Groups = [LimitGroup.FromRate("override", rps)], Classify = null, AuthGroup = null };
    }
}
