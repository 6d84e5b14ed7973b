using System.Net;
using CallImport.ImportRunner.Limits;
using CallImport.ImportRunner.Platforms;
using CallImport.ImportRunner.Platforms.Auth;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace CallImport.ImportRunner.Tests.Platforms.Auth;

/// <summary>Token auth through the real pipeline against a real OAuth server on loopback.</summary>
public sealed class OAuthTokenAuthenticatorTests
{
    private sealed record Sut(HttpClient Http, OAuthTokenAuthenticator Authenticator, RequestStatistics Statistics, RequestLimiter Limiter) : IDisposable
    {
        public void Dispose() => Http.Dispose();
    }

    private static Sut Create(TokenServer server, TimeProvider time, string secret = "s3cret")
    {
        var auth = new LimitGroup("auth", 5, TimeSpan.FromMinutes(1));
        var limiter = new RequestLimiter(new PlatformLimits([new LimitGroup("api", 100, TimeSpan.FromSeconds(1)), auth]) { AuthGroup = "auth" }, time);
        var statistics = new RequestStatistics();
        var handler = new PlatformRequestHandler(limiter, null, statistics,
            new RequestRetrySettings { MaxRetries = 1, BaseDelay = TimeSpan.FromMilliseconds(10) }, VendorSignals.Default, time, NullLogger.Instance, new SocketsHttpHandler());
        var http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        var authenticator = new OAuthTokenAuthenticator(new TokenServerSource(http, server.Url, time, secret), time);
        handler.Authenticator = authenticator;
        return new Sut(http, authenticator, statistics, limiter);
    }

    [Fact]
    public async Task FirstRequest_GetsAToken_LaterOnesReuseIt()
    {
        await using var server = await TokenServer.StartAsync();
        using var sut = Create(server, TimeProvider.System);

        for (var i = 0; i < 5; i++) (await sut.Http.GetAsync(new Uri(server.Url, "/api"))).EnsureSuccessStatusCode();

        Assert.Equal((1, 0), (server.Grants, server.Refreshes));
        Assert.Equal(1, sut.Authenticator.TokensObtained);
    }

    [Fact]
    public async Task NearExpiry_RefreshesAhead_OnceForManyConcurrentRequests_WithTheSingleUseRefreshToken()
    {
        await using var server = await TokenServer.StartAsync();
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var sut = Create(server, time);
        (await sut.Http.GetAsync(new Uri(server.Url, "/api"))).EnsureSuccessStatusCode();

        time.Advance(TimeSpan.FromMinutes(56)); // inside the 5 minutes before the 1-hour token expires
        var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => sut.Http.GetAsync(new Uri(server.Url, "/api"))));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal((1, 1, 0), (server.Grants, server.Refreshes, server.RefusedRefreshes));
        Assert.Equal(11, server.ApiRequests); // no request went out with the old token first
    }

    [Fact]
    public async Task Refused401WithAnExpiredToken_RenewsOnce_AndRetries_NotCountedAsARetry()
    {
        await using var server = await TokenServer.StartAsync();
        using var sut = Create(server, TimeProvider.System);
        (await sut.Http.GetAsync(new Uri(server.Url, "/api"))).EnsureSuccessStatusCode();

        server.ExpireCurrentToken();
        using var response = await sut.Http.GetAsync(new Uri(server.Url, "/api"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, server.Refreshes);
        Assert.Equal(0, sut.Statistics.Retries);
    }

    [Fact]
    public async Task RefreshTokenRefused_AsksAgainWithTheCredentials()
    {
        await using var server = await TokenServer.StartAsync();
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var sut = Create(server, time);
        (await sut.Http.GetAsync(new Uri(server.Url, "/api"))).EnsureSuccessStatusCode();
        // Another holder of the credentials used our refresh token (single use): ours is refused.
        await new HttpClient().PostAsync(new Uri(server.Url, "/token"), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token", ["refresh_token"] = "refresh-1",
        }));

        time.Advance(TimeSpan.FromMinutes(58));
        using var response = await sut.Http.GetAsync(new Uri(server.Url, "/api"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal((2, 1), (server.Grants, server.RefusedRefreshes));
    }

    [Fact]
    public async Task WrongSecret_IsCredentialsRejected_WithoutTheSecret_AndTokenRequestsCountInTheAuthGroup()
    {
        await using var server = await TokenServer.StartAsync();
        using var sut = Create(server, TimeProvider.System, secret: "wrong-secret-123");

        var error = await Assert.ThrowsAsync<CredentialsRejectedException>(() => sut.Http.GetAsync(new Uri(server.Url, "/api")));

        Assert.DoesNotContain("wrong-secret-123", error.ToString(), StringComparison.Ordinal);
        Assert.Equal(1, sut.Limiter.Group("auth")!.GetStatistics()!.TotalSuccessfulLeases);
    }
}
