using CallImport.LocalControlPlane.Kubelet;

namespace CallImport.LocalControlPlane.Tests.Kubelet;

public sealed class PathMapTests
{
    [Theory]
    [InlineData("/etc/creds=/tmp/p/creds", "/etc/creds/apiKey", "/tmp/p/creds/apiKey")]
    [InlineData("/etc/creds=/tmp/p/creds", "/etc/creds", "/tmp/p/creds")]
    [InlineData("/etc/creds=/tmp/p/creds", "/etc/credsX/a", "/etc/credsX/a")]
    [InlineData("/etc=/tmp/e;/etc/creds=/tmp/c", "/etc/creds/k", "/tmp/c/k")]
    [InlineData("/etc=/tmp/e;/etc/creds=/tmp/c", "/etc/other", "/tmp/e/other")]
    [InlineData("", "/etc/creds/k", "/etc/creds/k")]
    public void Resolve_MapsTheLongestCoveringMountPath(string map, string containerPath, string expected) =>
        Assert.Equal(expected, PathMap.Resolve(map, containerPath));

    [Fact]
    public void Format_JoinsMountsAsTheRunnerReadsThem() =>
        Assert.Equal("/a=/x;/b=/y", PathMap.Format([new("/a", "/x"), new("/b", "/y")]));
}
