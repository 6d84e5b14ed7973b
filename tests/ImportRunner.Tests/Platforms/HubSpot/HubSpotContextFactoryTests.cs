using CallImport.ImportJobs;
using CallImport.ImportRunner.Platforms;
using CallImport.ImportRunner.Platforms.Auth;
using CallImport.ImportRunner.Platforms.HubSpot;

namespace CallImport.ImportRunner.Tests.Platforms.HubSpot;

public sealed class HubSpotContextFactoryTests
{
    private static PlatformCredentials Credentials(params (string Key, string Value)[] values) =>
        new(values.ToDictionary(v => v.Key, v => v.Value));

    [Fact]
    public void Discover_RunnerAssembly_FindsHubSpotByName_WithMedia()
    {
        var factory = ImportContextCatalog.Discover().Get("hubspot");

        Assert.IsType<HubSpotContextFactory>(factory);
        Assert.Equal(["accessToken"], factory.RequiredCredentialKeys);
        Assert.Equal([["refreshToken", "clientId", "clientSecret"]], ImportPlatforms.AlternativeSecretKeys(factory.Platform));
        Assert.True(factory.ProvidesMedia);
    }

    [Fact]
    public void Contract_AccessTokenOrTheThreeRefreshKeys_EitherIsEnough()
    {
        Assert.Empty(ImportPlatforms.MissingSecretKeys("hubspot", ["accessToken"]));
        Assert.Empty(ImportPlatforms.MissingSecretKeys("hubspot", ["refreshToken", "clientId", "clientSecret", "baseUrl"]));
        Assert.Equal(["accessToken"], ImportPlatforms.MissingSecretKeys("hubspot", ["refreshToken", "clientId", "baseUrl"]));
        Assert.Equal(["accessToken"], ImportPlatforms.MissingSecretKeys("hubspot", []));
    }

    [Fact]
    public void Open_NeitherAnAccessTokenNorTheRefreshKeys_IsRefusedBeforeAnyRequest_NamingBothChoices()
    {
        var error = Assert.Throws<CredentialsRejectedException>(() =>
            PlatformConnection.Open(new HubSpotContextFactory(), Credentials(("baseUrl", "http://127.0.0.1:9")), ImportContextServices.Default));

        Assert.Equal(
            "The credentials have no 'accessToken' key (or, instead, 'refreshToken' + 'clientId' + 'clientSecret'). Add it to the Secret (or credentials file).",
            error.Message);
    }

    [Fact]
    public void Open_RefreshKeysBegunWithoutAnAccessToken_NamesWhatTheSetLacks_NoValues()
    {
        var error = Assert.Throws<CredentialsRejectedException>(() => PlatformConnection.Open(new HubSpotContextFactory(),
            Credentials(("refreshToken", "hubspot-refresh-secret-2"), ("clientId", "client-id-2"), ("baseUrl", "http://127.0.0.1:9")), ImportContextServices.Default));

        Assert.Contains("'refreshToken' + 'clientId' + 'clientSecret', of which 'clientSecret' is missing", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hubspot-refresh-secret-2", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("client-id-2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_OnlyTheRefreshKeys_NeedsNoAccessToken_AndSendsNothingYet()
    {
        using var connection = PlatformConnection.Open(new HubSpotContextFactory(),
            Credentials(("refreshToken", "r"), ("clientId", "c"), ("clientSecret", "s"), ("baseUrl", "http://127.0.0.1:9")), ImportContextServices.Default);

        Assert.IsType<OAuthTokenAuthenticator>(connection.Authenticator);
    }

    [Fact]
    public void Limits_HundredPerTenSeconds_SearchFivePerSecond_250kADay()
    {
        var limits = new HubSpotContextFactory().Limits;

        Assert.Equal(
            [("overall", 100, TimeSpan.FromSeconds(10)), ("search", 5, TimeSpan.FromSeconds(1))],
            limits.Groups.Select(g => (g.Name, g.PermitLimit, g.Window)));
        Assert.Equal(250_000, limits.RequestsPerDay);
    }

    [Theory]
    [InlineData("POST", "https://api.hubapi.com/crm/v3/objects/calls/search", new[] { "overall", "search" })]
    [InlineData("POST", "https://api.hubapi.com/crm/v3/objects/calls/batch/read", new[] { "overall" })]
    [InlineData("GET", "https://api.hubapi.com/crm/v3/owners/?limit=100", new[] { "overall" })]
    public void Limits_SearchCountsInBothGroups(string method, string url, string[] groups)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), url);
        Assert.Equal(groups, new HubSpotContextFactory().Limits.GroupsOf(request).Select(g => g.Name));
    }

    [Theory]
    [InlineData("pat-na1-1234", null, false, "PrivateApp")]
    [InlineData("CJSP5qf1KhICAQEY", null, false, "OAuth")]
    [InlineData("pat-na1-1234", "oauth", false, "OAuth")]
    [InlineData("CJSP5qf1KhICAQEY", "privateApp", false, "PrivateApp")]
    [InlineData("pat-na1-1234", null, true, "OAuth")]
    [InlineData(null, null, true, "OAuth")]
    [InlineData(null, "oauth", true, "OAuth")]
    public void TokenKind_FromTokenTypeThenRefreshKeysThenThePatPrefix(string? token, string? tokenType, bool refreshKeys, string expected)
    {
        var values = new List<(string, string)>();
        if (token is not null) values.Add(("accessToken", token));
        if (tokenType is not null) values.Add(("tokenType", tokenType));
        if (refreshKeys) values.AddRange([("refreshToken", "r"), ("clientId", "c"), ("clientSecret", "s")]);

        Assert.Equal(expected, HubSpotTokenKinds.Of(Credentials([.. values])).ToString());
    }

    [Fact]
    public void TokenKind_SomeRefreshKeysButNotAll_IsRefusedNamingTheMissingOnes()
    {
        var error = Assert.Throws<CredentialsRejectedException>(() =>
            HubSpotTokenKinds.Of(Credentials(("accessToken", "x"), ("refreshToken", "hubspot-refresh-secret-1"))));

        Assert.Contains("clientId, clientSecret", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hubspot-refresh-secret-1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TokenKind_UnknownTokenType_IsRefusedNamingTheValues()
    {
        var error = Assert.Throws<CredentialsRejectedException>(() => HubSpotTokenKinds.Of(Credentials(("accessToken", "x"), ("tokenType", "apiKey"))));

        Assert.Contains("'privateApp' or 'oauth'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_CredentialsWithoutAccessToken_ThrowsCredentialsRejectedNamingTheKey()
    {
        using var http = new HttpClient();

        var error = Assert.Throws<CredentialsRejectedException>(() =>
            new HubSpotContextFactory().Create(Credentials(("baseUrl", "http://127.0.0.1:1/")), http, ImportContextServices.Default));

        Assert.Contains("'accessToken'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'refreshToken' + 'clientId' + 'clientSecret'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TokenKind_PrivateAppWithoutAnAccessToken_IsRefusedNamingBothChoices()
    {
        var error = Assert.Throws<CredentialsRejectedException>(() => HubSpotTokenKinds.Of(Credentials(("tokenType", "privateApp"))));

        Assert.Contains("no 'accessToken' key (or, instead, 'refreshToken' + 'clientId' + 'clientSecret')", error.Message, StringComparison.Ordinal);
    }
}
