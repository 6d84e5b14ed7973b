using CallImport.Operator;
using CallImport.Operator.Hosting;

namespace CallImport.Deploy.Tests;

/// <summary>The operator settings the chart sets for watched namespaces and the runner's account: read and refused as the chart relies on.</summary>
public sealed class WatchedNamespaceSettingsTests
{
    [Theory]
    [InlineData("", new string[0])]
    [InlineData("team-a", new[] { "team-a" })]
    [InlineData(" team-a , team-b,team-a,", new[] { "team-a", "team-b" })]
    public void WatchNamespace_IsACommaSeparatedList(string setting, string[] expected) =>
        Assert.Equal(expected, new OperatorSettings { WatchNamespace = setting }.WatchedNamespaces);

    [Theory]
    [InlineData("Team_A", null, "Operator__WatchNamespace")]
    [InlineData("team-a", "Runner Account", "Operator__RunnerServiceAccountName")]
    public void MalformedNames_StopTheStart_NamingTheirVariable(string watch, string? runnerAccount, string variable)
    {
        var result = new OperatorSettingsValidation().Validate(null, new OperatorSettings
        {
            DatabaseConnectionString = "Host=db",
            WatchNamespace = watch,
            RunnerServiceAccountName = runnerAccount,
        });
        Assert.True(result.Failed);
        Assert.Contains(result.Failures!, f => f.StartsWith(variable + ":", StringComparison.Ordinal));
    }

    [Fact]
    public void TheRunnerAccount_GoesIntoTheRunnerPod_WithItsTokenStillUnmounted()
    {
        var pod = RunnerJobs.Sample(new OperatorSettings { RunnerServiceAccountName = "callimport-runner" }).Spec.Template.Spec;
        Assert.Equal("callimport-runner", pod.ServiceAccountName);
        Assert.False(pod.AutomountServiceAccountToken);
        Assert.Null(RunnerJobs.Sample().Spec.Template.Spec.ServiceAccountName);
    }
}
