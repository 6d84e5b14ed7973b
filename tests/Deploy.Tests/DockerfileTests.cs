using System.Text.RegularExpressions;
using System.Xml.Linq;
using CallImport.Operator;

namespace CallImport.Deploy.Tests;

/// <summary>
/// The Dockerfiles agree with what runs them: the chart's Deployment and helm test, the operator's runner Job
/// template (user, command, writable /tmp) and the projects they publish. No image is built here (no Docker
/// engine); PublishedAppsTests runs the same publish output the way the images run it.
/// </summary>
public sealed class DockerfileTests
{
    public static readonly TheoryData<string, string, string> Images = new()
    {
        { "operator.Dockerfile", "src/Operator/CallImport.Operator.csproj", "aspnet" },
        { "import-runner.Dockerfile", "src/ImportRunner/CallImport.ImportRunner.csproj", "runtime-deps" },
    };

    /// <summary>
    /// The SDK image each builds on: the runner is compiled to native code (PublishAot), which needs a C toolchain
    /// and zlib: the SDK's -aot variant carries them.
    /// </summary>
    private static readonly Dictionary<string, string> SdkVariant = new(StringComparer.Ordinal)
    {
        ["operator.Dockerfile"] = "noble",
        ["import-runner.Dockerfile"] = "noble-aot",
    };

    private static Dockerfile Read(string name) => Dockerfile.Read(Path.Combine(Chart.Root, "deploy", "docker", name));

    private static string AssemblyName(string project) =>
        XDocument.Load(Path.Combine(Chart.Root, project)).Descendants("AssemblyName").Single().Value;

    [Theory]
    [MemberData(nameof(Images))]
    public void BuildsOnTheOfficialSdk_AndRunsOnTheChiseledRuntime(string dockerfile, string project, string runtime)
    {
        var file = Read(dockerfile);
        Assert.Equal(2, file.Stages.Count);
        var targetFramework = Regex.Match(File.ReadAllText(Path.Combine(Chart.Root, "Directory.Build.props")), "<TargetFramework>net([0-9.]+)</TargetFramework>").Groups[1].Value;
        Assert.Equal($"mcr.microsoft.com/dotnet/sdk:{targetFramework}-{SdkVariant[dockerfile]}", file.ImageOf(file.Stages[0]));
        // Native AOT, and only there, needs the -aot SDK; a runtime-deps image runs no framework of its own.
        var publishesNative = File.ReadAllText(Path.Combine(Chart.Root, project)).Contains("<PublishAot", StringComparison.Ordinal);
        Assert.Equal(SdkVariant[dockerfile].EndsWith("-aot", StringComparison.Ordinal), publishesNative);
        Assert.Equal($"mcr.microsoft.com/dotnet/{runtime}:{targetFramework}-noble-chiseled", file.ImageOf(file.Final));
        // Chiseled images carry no ICU: the apps must run with invariant globalization.
        Assert.Contains("<InvariantGlobalization>true</InvariantGlobalization>", File.ReadAllText(Path.Combine(Chart.Root, "Directory.Build.props")), StringComparison.Ordinal);
        Assert.Contains($"dotnet publish {project} -c Release -o /app", file.Stages[0].Last("RUN"), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Images))]
    public void CopiesOnlyWhatExists_AndWhatDockerignoreLetsThrough(string dockerfile, string project, string runtime)
    {
        _ = (project, runtime);
        var ignore = File.ReadAllLines(Path.Combine(Chart.Root, ".dockerignore")).Where(l => l.StartsWith('!')).Select(l => l[1..].TrimEnd('/')).ToList();
        foreach (var copy in Read(dockerfile).Stages[0].All("COPY"))
        {
            var words = copy.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            foreach (var source in words[..^1].Select(w => w.TrimEnd('/')))
            {
                Assert.True(File.Exists(Path.Combine(Chart.Root, source)) || Directory.Exists(Path.Combine(Chart.Root, source)), $"{dockerfile}: COPY {source}: no such file");
                Assert.Contains(source, ignore);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Images))]
    public void RunsAsTheChartsNumericUser_WithTheProgramOnPath(string dockerfile, string project, string runtime)
    {
        _ = runtime;
        var final = Read(dockerfile).Final;
        Assert.Equal("65532:65532", final.Last("USER"));
        var program = "/app/" + AssemblyName(project);
        Assert.Equal([program], final.ExecForm("ENTRYPOINT"));
        Assert.Contains("--from=build /app/ /app/", final.Last("COPY"), StringComparison.Ordinal);
        var env = final.Pairs("ENV");
        Assert.StartsWith("/app:", env["PATH"], StringComparison.Ordinal);
        Assert.Equal("/tmp", env["TMPDIR"]);
        Assert.DoesNotContain("HOME", env.Keys);
        Assert.DoesNotContain(final.Instructions, i => i.Keyword == "VOLUME");
    }

    [Fact]
    public void RunnerImage_ServesTheRunnerJobTemplate()
    {
        var final = Read("import-runner.Dockerfile").Final;
        var pod = RunnerJobs.Sample().Spec.Template.Spec;
        var container = pod.Containers.Single();
        Assert.Equal(final.Last("USER"), $"{container.SecurityContext.RunAsUser}:{pod.SecurityContext.RunAsGroup}");
        Assert.Equal(container.SecurityContext.RunAsUser, pod.SecurityContext.RunAsUser);
        // The Job's command is a bare program name, found on the image's PATH.
        var command = Assert.Single(container.Command);
        var found = final.Pairs("ENV")["PATH"].Split(':').Select(dir => $"{dir}/{command}");
        Assert.Contains("/app/" + AssemblyName("src/ImportRunner/CallImport.ImportRunner.csproj"), found);
        Assert.Equal(new OperatorSettings().RunnerCommand, command);
        // Read-only root: the only writable place the image relies on is the Job's /tmp.
        Assert.True(container.SecurityContext.ReadOnlyRootFilesystem);
        Assert.Contains(container.VolumeMounts, m => m.MountPath == "/tmp" && pod.Volumes.Single(v => v.Name == m.Name).EmptyDir is not null);
        Assert.Equal("/tmp", final.Pairs("ENV")["TMPDIR"]);
    }

    [Fact]
    public void OperatorImage_ServesTheChartsDeploymentAndHelmTest()
    {
        var final = Read("operator.Dockerfile").Final;
        var chart = Chart.Render();
        var pod = chart.One("Deployment").Body["spec"]!["template"]!["spec"]!;
        Assert.Equal(final.Last("USER"), $"{(int)pod["securityContext"]!["runAsUser"]!}:{(int)pod["securityContext"]!["runAsGroup"]!}");
        var port = (int)pod["containers"]![0]!["ports"]![0]!["containerPort"]!;
        Assert.Equal(final.Last("EXPOSE"), port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(new OperatorSettings().HttpPort, port);
        Assert.Equal(final.Pairs("ENV")["Operator__HttpPort"], port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("/tmp", (string?)pod["containers"]![0]!["volumeMounts"]![0]!["mountPath"]);
        var test = chart.One("Pod", "-test").Body["spec"]!["containers"]![0]!;
        Assert.Equal(final.ExecForm("ENTRYPOINT"), test["command"]!.AsArray().Select(c => (string)c!));
        Assert.Equal(ReleaseCheckCommand, (string?)test["args"]![0]);
    }

    private static string ReleaseCheckCommand => CallImport.Operator.Hosting.ReleaseCheck.Command;

    [Theory]
    [MemberData(nameof(Images))]
    public void CarriesTheOciLabels(string dockerfile, string project, string runtime)
    {
        _ = (project, runtime);
        var final = Read(dockerfile).Final;
        var labels = final.Pairs("LABEL");
        Assert.Equal("${VERSION}", labels["org.opencontainers.image.version"]);
        Assert.Equal("${REVISION}", labels["org.opencontainers.image.revision"]);
        Assert.Equal("${SOURCE}", labels["org.opencontainers.image.source"]);
        var args = final.All("ARG").Select(a => a.Split('=')[0]).ToList();
        Assert.Contains("VERSION", args);
        Assert.Contains("REVISION", args);
        Assert.Contains("SOURCE", args);
        // make images passes them.
        var script = Chart.ReadRepositoryFile("scripts/images.sh");
        foreach (var arg in new[] { "VERSION", "REVISION", "SOURCE" })
            Assert.Contains($"--build-arg {arg}=", script, StringComparison.Ordinal);
        Assert.Contains("deploy/docker/" + dockerfile, script, StringComparison.Ordinal);
    }
}
