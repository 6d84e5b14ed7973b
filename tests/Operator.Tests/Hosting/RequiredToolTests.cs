using CallImport.Testing;

namespace CallImport.Operator.Tests.Hosting;

/// <summary>A CI machine without kubectl fails the tests that need it, saying what to install; locally they skip.</summary>
public sealed class RequiredToolTests
{
    [Fact]
    public void MissingUnderCi_FailsNamingWhatToInstall()
    {
        var error = Assert.Throws<InvalidOperationException>(() => RequiredTool.SkipReason(null, "kubectl", RequiredTool.KubectlInstall, ci: true));

        Assert.Contains("kubectl is not installed", error.Message, StringComparison.Ordinal);
        Assert.Contains("CI=true", error.Message, StringComparison.Ordinal);
        Assert.Contains("kubernetes.io/docs/tasks/tools", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingLocally_SkipsWithTheReason() =>
        Assert.Equal("kubectl is not installed on this machine", RequiredTool.SkipReason(null, "kubectl", RequiredTool.KubectlInstall, ci: false));

    [Fact]
    public void Present_NoReason() =>
        Assert.Null(RequiredTool.SkipReason("/usr/bin/kubectl", "kubectl", RequiredTool.KubectlInstall, ci: true));
}
