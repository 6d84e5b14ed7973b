namespace CallImport.Operator.Tests.EndToEnd;

[Collection(EndToEndCollection.Name)]
public sealed class InvalidSpecsTests(ControlPlaneFixture fixture)
{
    public static TheoryData<string> BadSamples() =>
        [.. Directory.GetFiles(ControlPlaneFixture.RepositoryFile("samples/bad"), "*.yaml").Select(f => new FileInfo(f).Name).Order()];

    [SkippableTheory]
    [MemberData(nameof(BadSamples))]
    public async Task BadSampleAppliedWithKubectl_RefusedWithTheMessageItsHeaderPromises(string file)
    {
        Kubectl.SkipWhenAbsent();
        await using var scenario = await ImportScenario.StartAsync(fixture, "invalid");
        var path = ControlPlaneFixture.RepositoryFile($"samples/bad/{file}");
        // Line 2 of each bad sample: "#   <the message kubectl prints>".
        var expected = File.ReadLines(path).Skip(1).First().TrimStart('#').Trim();

        var result = await scenario.Kubectl.RunAsync("apply", "-f", path);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("is invalid", result.Stderr);
        Assert.Contains(expected, result.Stderr);
        Assert.Equal("", (await scenario.Kubectl.RunAsync("get", "importjobs", "-o", "name")).EnsureSuccess().Stdout.Trim());
    }
}
