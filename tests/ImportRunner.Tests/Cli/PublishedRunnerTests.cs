using System.Text.RegularExpressions;
using CallImport.Testing;

namespace CallImport.ImportRunner.Tests.Cli;

/// <summary>
/// The runner the process tests start is the one a pod runs (native AOT), and its compiler warned only about the
/// third-party code reviewed for the runner's paths (the csproj says why each is safe): any other trim or AOT warning
/// is a place where the shipped binary may fail where the JIT build works.
/// </summary>
public sealed partial class PublishedRunnerTests
{
    [SkippableFact]
    public void ProcessTestsRunTheNativeBinary_NotAnAssembly()
    {
        Skip.If(PublishedRunner.PublishLog is null, $"{PublishedRunner.OverrideVariable} names another runner");
        var program = PublishedRunner.ProgramPath;

        Assert.Equal([program], RunnerProcess.CommandLine);
        var header = new byte[4];
        using (var file = File.OpenRead(program)) file.ReadExactly(header);
        Assert.Equal("\u007fELF"u8.ToArray(), header);
        // The published folder is what the image holds: the binary alone (no assemblies, no symbols), beside the
        // publish's stamp and log that the tests keep (dot-files).
        Assert.Equal(["ImportRunner"], Directory.GetFiles(Path.GetDirectoryName(program)!).Select(Path.GetFileName).Where(name => !name!.StartsWith('.')));
    }

    [SkippableFact]
    public void NativeCompiler_WarnsOnlyAboutTheReviewedThirdPartyCode()
    {
        var log = PublishedRunner.PublishLog;
        Skip.If(log is null, $"{PublishedRunner.OverrideVariable} names another runner");

        var warnings = log.Split('\n').Select(l => l.Trim()).Where(l => l.Contains("warning IL", StringComparison.Ordinal)).Distinct().ToList();
        var unexpected = warnings.Where(w => !Reviewed(w)).ToList();

        Assert.True(unexpected.Count == 0, "warnings nobody reviewed:\n" + string.Join("\n", unexpected));
        Assert.DoesNotContain(": error ", log, StringComparison.Ordinal);
    }

    private static bool Reviewed(string warning) =>
        ReviewedAssemblySummary().IsMatch(warning)
        || (warning.Contains("warning IL3002:", StringComparison.Ordinal)
            && warning.Contains("Google.Apis.Requests.VersionHeaderBuilder.GetEntryAssemblyVersionOrNull()", StringComparison.Ordinal));

    [GeneratedRegex(@"warning IL(2104|3053): Assembly '(Google\.Apis|Google\.Apis\.Core|Newtonsoft\.Json)' produced ")]
    private static partial Regex ReviewedAssemblySummary();
}
