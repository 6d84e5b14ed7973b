using System.Reflection;

namespace CallImport.Operator;

/// <summary>
/// The release's images: the repositories <c>make images</c> pushes and the chart pulls, tagged with this build's
/// version, which MSBuild takes from the chart's appVersion (Directory.Build.props). A test keeps the chart, the
/// Makefile and the README in line with these names.
/// </summary>
public static class ReleaseImages
{
    public const string Registry = "ghcr.io/callimport";
    public const string OperatorRepository = Registry + "/operator";
    public const string RunnerRepository = Registry + "/import-runner";

    /// <summary>The version this operator was built as (without the SDK's "+commit" suffix).</summary>
    public static string Version { get; } =
        (typeof(ReleaseImages).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0").Split('+')[0];

    /// <summary>The runner image of the same release: the operator's default for runner Jobs.</summary>
    public static string Runner => $"{RunnerRepository}:{Version}";
}
