using CallImport.LocalControlPlane.Kubelet;
using k8s.Models;

namespace CallImport.LocalControlPlane.Tests.Kubelet;

public sealed class ContainerCommandTests
{
    private static readonly Dictionary<string, string> Env = new() { ["MODE"] = "delta" };

    [Theory]
    [InlineData("callimport/import-runner:dev", "dotnet /r/ImportRunner.dll --mode delta")]
    [InlineData("callimport/import-runner:1.4", "dotnet /r/ImportRunner.dll --mode delta")]
    [InlineData("callimport/import-runner@sha256:abc", "dotnet /r/ImportRunner.dll --mode delta")]
    [InlineData("busybox:1.36", "/app/run --mode delta")]
    public void Resolve_MappedImagesRunTheirPrefixAndOthersTheirCommand(string image, string expected)
    {
        var options = new KubeletOptions();
        options.ImageCommands["callimport/import-runner"] = ["dotnet", "/r/ImportRunner.dll"];
        var container = new V1Container { Name = "c", Image = image, Command = ["/app/run"], Args = ["--mode", "$(MODE)"] };

        Assert.Equal(expected, string.Join(' ', ContainerCommand.Resolve(container, options, Env)));
    }

    [Fact]
    public void Resolve_UnmappedImageWithoutCommand_CannotStart()
    {
        var container = new V1Container { Name = "c", Image = "example/unknown:1", Args = ["x"] };

        var error = Assert.Throws<ContainerConfigException>(() => ContainerCommand.Resolve(container, new KubeletOptions(), Env));

        Assert.Equal("ErrImagePull", error.Reason);
    }

    [Theory]
    [InlineData("$(MODE)-x", "delta-x")]
    [InlineData("$$(MODE)", "$(MODE)")]
    [InlineData("$(MISSING)", "$(MISSING)")]
    public void Expand_ReplacesKnownReferencesLikeTheKubelet(string text, string expected) =>
        Assert.Equal(expected, ContainerEnvironment.Expand(text, Env));

    [Fact]
    public void FromEnvironment_ReadsImageMappings()
    {
        Environment.SetEnvironmentVariable(KubeletOptions.ImageCommandsVariable, "a/b=dotnet /x/B.dll; c/d:1=/bin/d --flag");
        try
        {
            var options = KubeletOptions.FromEnvironment();

            Assert.Equal(["dotnet", "/x/B.dll"], options.ImageCommands["a/b"]);
            Assert.Equal(["/bin/d", "--flag"], options.ImageCommands["c/d:1"]);
        }
        finally
        {
            Environment.SetEnvironmentVariable(KubeletOptions.ImageCommandsVariable, null);
        }
    }
}
