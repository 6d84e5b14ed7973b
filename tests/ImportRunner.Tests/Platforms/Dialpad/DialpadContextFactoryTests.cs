using CallImport.ImportRunner.Platforms;
using CallImport.ImportRunner.Platforms.Dialpad;

namespace CallImport.ImportRunner.Tests.Platforms.Dialpad;

public sealed class DialpadContextFactoryTests
{
    [Fact]
    public void Discover_RunnerAssembly_FindsDialpadByName_WithMedia()
    {
        var factory = ImportContextCatalog.Discover().Get("dialpad");

        Assert.IsType<DialpadContextFactory>(factory);
        Assert.Equal(["apiKey"], factory.RequiredCredentialKeys);
        Assert.True(factory.ProvidesMedia);
    }

    [Fact]
    public void Limits_TwentyPerSecond_AndGetCallTenPerMinute()
    {
        var limits = new DialpadContextFactory().Limits;

        Assert.Equal(
            [("overall", 20, TimeSpan.FromSeconds(1)), ("get-call", 10, TimeSpan.FromMinutes(1))],
            limits.Groups.Select(g => (g.Name, g.PermitLimit, g.Window)));
        Assert.Null(limits.RequestsPerDay);
    }

    [Fact]
    public void Create_CredentialsWithoutApiKey_ThrowsCredentialsRejectedNamingTheKey()
    {
        using var http = new HttpClient();
        var credentials = new PlatformCredentials(new Dictionary<string, string> { ["baseUrl"] = "http://127.0.0.1:1/" });

        var error = Assert.Throws<CredentialsRejectedException>(() => new DialpadContextFactory().Create(credentials, http, ImportContextServices.Default));

        Assert.Contains("'apiKey'", error.Message, StringComparison.Ordinal);
    }
}
