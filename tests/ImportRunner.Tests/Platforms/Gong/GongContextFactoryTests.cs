using CallImport.ImportJobs;
using CallImport.ImportRunner.Platforms;
using CallImport.ImportRunner.Platforms.Gong;
using CallImport.Testing.Fakes.Gong;

namespace CallImport.ImportRunner.Tests.Platforms.Gong;

public sealed class GongContextFactoryTests
{
    [Fact]
    public void Discover_RunnerAssembly_FindsGongByNameWithTheSharedSecretKeys()
    {
        var factory = ImportContextCatalog.Discover().Get("gong");

        Assert.IsType<GongContextFactory>(factory);
        Assert.Equal(ImportPlatforms.RequiredSecretKeys(ImportPlatforms.Gong), factory.RequiredCredentialKeys);
        Assert.Equal(["accessKey", "accessKeySecret"], factory.RequiredCredentialKeys);
        Assert.True(factory.ProvidesMedia);
    }

    [Fact]
    public void Limits_GongsDocumentedLimits_ThreePerSecondAndTenThousandADay()
    {
        var limits = new GongContextFactory().Limits;

        var group = Assert.Single(limits.Groups);
        Assert.Equal((3, TimeSpan.FromSeconds(1)), (group.PermitLimit, group.Window));
        Assert.Equal(10_000, limits.RequestsPerDay);
    }

    [Fact]
    public void Create_CredentialsWithoutSecret_ThrowsCredentialsRejectedNamingTheKey()
    {
        using var http = new HttpClient();
        var credentials = new PlatformCredentials(new Dictionary<string, string> { ["accessKey"] = "K", ["baseUrl"] = "http://127.0.0.1:1/" });

        var error = Assert.Throws<CredentialsRejectedException>(() => new GongContextFactory().Create(credentials, http, ImportContextServices.Default));

        Assert.Contains("'accessKeySecret'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://us-12345.api.gong.io", "https://us-12345.api.gong.io/")]
    [InlineData("https://us-12345.api.gong.io/v2", "https://us-12345.api.gong.io/")]
    [InlineData("https://us-12345.api.gong.io/v2/", "https://us-12345.api.gong.io/")]
    public void TenantHost_AsGongShowsIt_WithOrWithoutV2(string baseUrl, string expected)
    {
        var credentials = new PlatformCredentials(new Dictionary<string, string> { ["baseUrl"] = baseUrl });

        Assert.Equal(new Uri(expected), GongContextFactory.TenantHost(credentials));
    }

    [Fact]
    public void TenantHost_NoBaseUrl_IsGongsUsFallback()
    {
        Assert.Equal(new Uri("https://api.gong.io/"), GongContextFactory.TenantHost(new PlatformCredentials(new Dictionary<string, string>())));
    }

    [Fact]
    public async Task AccessTokenAlone_WithoutTheKeyPair_IsSentAsOAuthBearer()
    {
        await using var gong = await GongFake.StartAsync(new GongFakeOptions { CallCount = 5 });
        using var sut = new GongTestContext(gong, new Dictionary<string, string> { ["accessToken"] = gong.OAuthToken!, ["baseUrl"] = gong.BaseUrl });

        var calls = await sut.ListAsync(GongTestContext.AllOfJanuary());

        Assert.Equal(5, calls.Count);
        Assert.All(sut.Sent, s => Assert.Equal($"Bearer {gong.OAuthToken}", s.Authorization));
    }

    [Fact]
    public void NeitherTheKeyPairNorAToken_IsRefusedBeforeAnyRequest_NamingWhatToAdd()
    {
        var error = Assert.Throws<CredentialsRejectedException>(() => PlatformConnection.Open(new GongContextFactory(),
            new PlatformCredentials(new Dictionary<string, string> { ["accessKey"] = "k", ["baseUrl"] = "http://127.0.0.1:9" }), ImportContextServices.Default));

        Assert.Equal("The credentials have no 'accessKeySecret' key (or, instead, 'accessToken'). Add it to the Secret (or credentials file).", error.Message);
    }
}
