using System.Text.RegularExpressions;
using CallImport.Operator;

namespace CallImport.Deploy.Tests;

/// <summary>
/// One source of truth for image names and tags: the chart's appVersion is the version of the binaries (MSBuild
/// reads it), of the images (make images tags with it) and of the chart's defaults; the repositories are those of
/// <see cref="ReleaseImages"/>, which the operator's runner image default, the chart, the Makefile and the README use.
/// </summary>
public sealed partial class ImageNameTests
{
    private static string AppVersion => Regex.Match(Chart.Read("Chart.yaml"), "(?m)^appVersion:\\s*\"?([^\"\\s]+)").Groups[1].Value;

    [Fact]
    public void TheBinaries_AreBuiltAsTheChartsAppVersion()
    {
        Assert.Matches("^[0-9]+\\.[0-9]+\\.[0-9]+", AppVersion);
        Assert.Equal(AppVersion, ReleaseImages.Version);
    }

    [Fact]
    public void TheOperatorsRunnerImageDefault_IsTheRunnerOfItsOwnRelease()
    {
        Assert.Equal($"{ReleaseImages.RunnerRepository}:{AppVersion}", new OperatorSettings().RunnerImage);
    }

    [Fact]
    public void TheChart_PullsTheReleaseImagesAtAppVersion()
    {
        var values = Chart.YamlToJson(Chart.Read("values.yaml"))!;
        Assert.Equal(ReleaseImages.OperatorRepository, (string?)values["image"]!["repository"]);
        Assert.Equal(ReleaseImages.RunnerRepository, (string?)values["runner"]!["image"]!["repository"]);
        Assert.Equal("", (string?)values["image"]!["tag"]);
        Assert.Equal("", (string?)values["runner"]!["image"]!["tag"]);
        var chart = Chart.Render();
        Assert.Equal($"{ReleaseImages.OperatorRepository}:{AppVersion}", (string?)chart.One("Deployment").Body["spec"]!["template"]!["spec"]!["containers"]![0]!["image"]);
        Assert.Equal(new OperatorSettings().RunnerImage, (string?)Chart.OperatorEnvironment(chart)["Operator__RunnerImage"]);
    }

    [Fact]
    public void MakeImages_BuildsTheSameNames()
    {
        var script = Chart.ReadRepositoryFile("scripts/images.sh");
        Assert.Contains($"REGISTRY=\"${{REGISTRY:-{ReleaseImages.Registry}}}\"", script, StringComparison.Ordinal);
        Assert.Contains($"REGISTRY ?= {ReleaseImages.Registry}", Chart.ReadRepositoryFile("Makefile"), StringComparison.Ordinal);
        foreach (var repository in new[] { ReleaseImages.OperatorRepository, ReleaseImages.RunnerRepository })
            Assert.Contains($"[{repository[(ReleaseImages.Registry.Length + 1)..]}]=deploy/docker/", script, StringComparison.Ordinal);
        // The tag comes from the chart's appVersion.
        Assert.Contains("deploy/helm/callimport/Chart.yaml", script, StringComparison.Ordinal);
    }

    [Fact]
    public void TheReadme_NamesOnlyReleaseImagesAtAppVersion()
    {
        var readme = Chart.ReadRepositoryFile("README.md");
        var mentions = ImageReference().Matches(readme).ToList();
        Assert.NotEmpty(mentions);
        foreach (Match mention in mentions)
        {
            Assert.Contains(mention.Groups["repository"].Value, new[] { ReleaseImages.OperatorRepository, ReleaseImages.RunnerRepository });
            if (mention.Groups["tag"].Success)
                Assert.True(mention.Groups["tag"].Value == AppVersion, $"README names {mention.Value}; the release is {AppVersion}");
        }
    }

    [GeneratedRegex(@"(?<repository>ghcr\.io/callimport/[a-z0-9-]+)(?::(?<tag>[A-Za-z0-9.+-]+))?")]
    private static partial Regex ImageReference();
}
