using CallImport.ImportRunner.Limits;
using CallImport.ImportRunner.Platforms;
using CallImport.ImportRunner.Platforms.Grain;

namespace CallImport.ImportRunner.Tests.Platforms.Grain;

public sealed class GrainContextFactoryTests
{
    [Fact]
    public void Discover_RunnerAssembly_FindsGrainByName()
    {
        var factory = ImportContextCatalog.Discover().Get("grain");

        Assert.IsType<GrainContextFactory>(factory);
        Assert.Equal(["apiKey"], factory.RequiredCredentialKeys);
        Assert.False(factory.ProvidesMedia);
    }

    [Fact]
    public void Limits_ObservedGrainWindow_DeclaresThirtyPerTwentySecondsAndNoDailyCap()
    {
        var limits = new GrainContextFactory().Limits;

        var group = Assert.Single(limits.Groups);
        Assert.Equal(30, group.PermitLimit);
        Assert.Equal(TimeSpan.FromSeconds(20), group.Window);
        Assert.Null(limits.RequestsPerDay);
    }

    [Fact]
    public void Create_CredentialsWithoutApiKey_ThrowsCredentialsRejectedNamingTheKey()
    {
        using var http = new HttpClient();
        var credentials = new PlatformCredentials(new Dictionary<string, string> { ["baseUrl"] = "http://127.0.0.1:1/" });

        var error = Assert.Throws<CredentialsRejectedException>(() => new GrainContextFactory().Create(credentials, http, ImportContextServices.Default));

        Assert.Contains("'apiKey'", error.Message, StringComparison.Ordinal);
    }
}
