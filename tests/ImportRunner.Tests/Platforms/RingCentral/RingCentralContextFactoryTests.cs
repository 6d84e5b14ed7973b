using System.Net;
using CallImport.ImportJobs;
using CallImport.ImportRunner.Platforms;
using CallImport.ImportRunner.Platforms.RingCentral;
using Microsoft.Extensions.Time.Testing;

namespace CallImport.ImportRunner.Tests.Platforms.RingCentral;

public sealed class RingCentralContextFactoryTests
{
    private static HttpRequestMessage Get(string url) => new(HttpMethod.Get, url);

    [Fact]
    public void Factory_IsDiscovered_WithTheSharedSecretKeys()
    {
        var factory = Assert.IsType<RingCentralContextFactory>(ImportContextCatalog.Discover().Get("ringcentral"));

        Assert.Equal(ImportPlatforms.RequiredSecretKeys(ImportPlatforms.RingCentral), factory.RequiredCredentialKeys);
        Assert.True(factory.ProvidesMedia);
    }

    [Fact]
    public void MissingKey_IsRefusedNamingIt()
    {
        var credentials = new PlatformCredentials(new Dictionary<string, string> { ["clientId"] = "id", ["clientSecret"] = "secret" });

        var refused = Assert.Throws<CredentialsRejectedException>(() => new RingCentralContextFactory().Create(credentials, new HttpClient(), ImportContextServices.Default));

        Assert.Contains("'jwt'", refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://platform.ringcentral.com/restapi/v1.0/account/~/call-log?view=Detailed", "heavy")]
    [InlineData("https://platform.ringcentral.com/restapi/v1.0/account/~/extension/6226/call-log", "heavy")]
    [InlineData("https://platform.ringcentral.com/restapi/v1.0/account/~/call-log/Y3s3mNqSXeJ7cUA", "heavy")]
    [InlineData("https://media.ringcentral.com/restapi/v1.0/account/1/recording/77/content", "heavy")]
    [InlineData("https://platform.ringcentral.com/restapi/v1.0/account/~/extension/~", "light")]
    [InlineData("https://platform.ringcentral.com/restapi/oauth/token", "auth")]
    public void Classifier_PutsEachRequestInRingCentralsGroup(string url, string group)
    {
        var limits = new RingCentralContextFactory().Limits;
        using var request = Get(url);

        Assert.Equal([group], limits.GroupsOf(request).Select(g => g.Name));
        Assert.Equal(10, limits.Group("heavy")!.PermitLimit);
        Assert.Equal(TimeSpan.FromMinutes(1), limits.Group("heavy")!.Window);
        Assert.Equal(5, limits.Group("auth")!.PermitLimit);
    }

    [Fact]
    public async Task Throttled_WithoutRetryAfter_SilencesTheGroupForThePenaltyInterval()
    {
        using var bare = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        using var withHeader = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        withHeader.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(42));
        var time = new FakeTimeProvider();

        var penalty = await RingCentralSignals.Instance.ClassifyAsync(bare, time, CancellationToken.None);
        var told = await RingCentralSignals.Instance.ClassifyAsync(withHeader, time, CancellationToken.None);

        Assert.Equal((ResponseKind.Throttled, TimeSpan.FromSeconds(60)), (penalty.Kind, penalty.RetryAfter));
        Assert.Equal(TimeSpan.FromSeconds(42), told.RetryAfter);
    }

    [Fact]
    public void WithoutBaseUrl_TheTokenIsNeverSentOutsideRingCentral()
    {
        var hosts = RingCentralHosts.From(new PlatformCredentials(new Dictionary<string, string>()));

        Assert.Equal(new Uri("https://media.ringcentral.com/restapi/v1.0/account/1/recording/7/content"),
            hosts.MediaLink("https://media.ringcentral.com/restapi/v1.0/account/1/recording/7/content"));
        Assert.Throws<PermanentCallException>(() => hosts.MediaLink("https://media.ringcentral.com.evil.example/x"));
        Assert.Throws<PermanentCallException>(() => hosts.MediaLink("http://media.ringcentral.com/x"));
    }

    [Fact]
    public void WithBaseUrl_PlatformAndMediaLinksKeepPathAndQuery_OnTheBaseUrl()
    {
        var hosts = RingCentralHosts.From(new PlatformCredentials(new Dictionary<string, string> { ["baseUrl"] = "http://127.0.0.1:5098" }));

        Assert.Equal(new Uri("http://127.0.0.1:5098/restapi/v1.0/account/1/recording/7/content"),
            hosts.MediaLink("https://media.ringcentral.com/restapi/v1.0/account/1/recording/7/content"));
        Assert.Equal(new Uri("http://127.0.0.1:5098/restapi/v1.0/account/~/call-log?page=2&perPage=250"),
            hosts.PlatformLink("https://platform.ringcentral.com/restapi/v1.0/account/~/call-log?page=2&perPage=250"));
    }
}
