namespace CallImport.Operator.Tests.EndToEnd;

/// <summary>The API server, with the CRD, accepts every sample a user is told to start from, and keeps immutable fields immutable.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class GoodSamplesTests(ControlPlaneFixture fixture)
{
    public static TheoryData<string> Samples() =>
        [.. Directory.GetFiles(ControlPlaneFixture.RepositoryFile("samples"), "*.yaml").Select(f => new FileInfo(f).Name).Order()];

    [SkippableTheory]
    [MemberData(nameof(Samples))]
    public async Task SampleAppliedWithKubectl_IsAccepted_WithItsSchemaDefaults(string file)
    {
        Kubectl.SkipWhenAbsent();
        await using var scenario = await ImportScenario.StartAsync(fixture, "sample");
        var result = await scenario.Kubectl.RunAsync("apply", "-f", ControlPlaneFixture.RepositoryFile($"samples/{file}"));

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Contains("importjob.callimport.io/", result.Stdout);
        Assert.DoesNotContain("unknown field", result.Stderr);
        var name = (await scenario.Kubectl.RunAsync("get", "importjobs", "-o", "name")).EnsureSuccess().Stdout.Trim().Split('/').Last();
        var stored = await scenario.GetAsync(name);
        Assert.NotNull(stored!.Spec.Concurrency);
        Assert.NotNull(stored.Spec.CredentialsPolicy);
    }

    [SkippableFact]
    public async Task ChangingCustomerIdOrPlatform_IsRefusedWithTheRulesMessage()
    {
        Kubectl.SkipWhenAbsent();
        await using var scenario = await ImportScenario.StartAsync(fixture, "immutable");
        (await scenario.Kubectl.ApplyAsync(scenario.ImportJobYaml("fixed"))).EnsureSuccess();

        var customer = await scenario.Kubectl.RunAsync("patch", "importjob", "fixed", "--type", "merge", "-p", """{"spec":{"customerId":"someone-else"}}""");
        var platform = await scenario.Kubectl.RunAsync("patch", "importjob", "fixed", "--type", "merge", "-p", """{"spec":{"platform":"gong"}}""");

        Assert.Contains("spec.customerId: Invalid value: \"string\": customerId is immutable; create a new ImportJob", customer.Stderr);
        Assert.Contains("spec.platform: Invalid value: \"string\": platform is immutable; create a new ImportJob", platform.Stderr);
        Assert.Equal(scenario.Customer, (await scenario.GetAsync("fixed"))!.Spec.CustomerId);
    }
}
