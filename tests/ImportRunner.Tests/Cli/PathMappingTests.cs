using CallImport.ImportRunner.Cli;

namespace CallImport.ImportRunner.Tests.Cli;

[Collection(nameof(PathMappingTests))] // changes a process-wide environment variable
public sealed class PathMappingTests : IDisposable
{
    [Fact]
    public void NoMap_PathsAreUsedAsGiven()
    {
        Environment.SetEnvironmentVariable(PathMapping.Variable, null);
        Assert.Equal("/var/run/callimport/credentials", PathMapping.Resolve("/var/run/callimport/credentials"));
    }

    [Fact]
    public void NestedMounts_TheLongestMountPathWins()
    {
        Environment.SetEnvironmentVariable(PathMapping.Variable, "/var/run=/tmp/a;/var/run/callimport/credentials=/tmp/b;");
        Assert.Equal("/tmp/b", PathMapping.Resolve("/var/run/callimport/credentials"));
        Assert.Equal("/tmp/b/apiKey", PathMapping.Resolve("/var/run/callimport/credentials/apiKey"));
        Assert.Equal("/tmp/a/other", PathMapping.Resolve("/var/run/other"));
        Assert.Equal("/var/runner", PathMapping.Resolve("/var/runner"));
    }

    public void Dispose() => Environment.SetEnvironmentVariable(PathMapping.Variable, null);
}
