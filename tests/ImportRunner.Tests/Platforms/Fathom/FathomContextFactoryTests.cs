using CallImport.ImportRunner.Platforms;
using CallImport.ImportRunner.Platforms.Fathom;

namespace CallImport.ImportRunner.Tests.Platforms.Fathom;

public sealed class FathomContextFactoryTests
{
    [Fact]
    public void Discover_RunnerAssembly_FindsFathomByName_WithoutMedia()
    {
        var factory = ImportContextCatalog.Discover().Get("fathom");

        Assert.IsType<FathomContextFactory>(factory);
        Assert.Equal(["apiKey"], factory.RequiredCredentialKeys);
        Assert.False(factory.ProvidesMedia);
    }

    [Fact]
    public void Limits_SixtyPerMinute_NoDailyCap()
    {
        var limits = new FathomContextFactory().Limits;

        var group = Assert.Single(limits.Groups);
        Assert.Equal((60, TimeSpan.FromMinutes(1)), (group.PermitLimit, group.Window));
        Assert.Null(limits.RequestsPerDay);
    }

    [Fact]
    public void Create_CredentialsWithoutApiKey_ThrowsCredentialsRejectedNamingTheKey()
    {
        using var http = new HttpClient();
        var credentials = new PlatformCredentials(new Dictionary<string, string> { ["baseUrl"] = "http://127.0.0.1:1/" });

        var error = Assert.Throws<CredentialsRejectedException>(() => new FathomContextFactory().Create(credentials, http, ImportContextServices.Default));

        Assert.Contains("'apiKey'", error.Message, StringComparison.Ordinal);
    }
}
