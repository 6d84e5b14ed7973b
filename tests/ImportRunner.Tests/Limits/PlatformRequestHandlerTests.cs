using System.Net;
using System.Text.Json;
using CallImport.ImportRunner.Limits;
using CallImport.ImportRunner.Platforms;
using CallImport.Store;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace CallImport.ImportRunner.Tests.Limits;

public sealed class PlatformRequestHandlerTests(ImportDatabase database) : IClassFixture<ImportDatabase>
{
    /// <summary>Any JSON body (the runner passes a generated contract; these tests only look at failures).</summary>
    private static System.Text.Json.Serialization.Metadata.JsonTypeInfo<JsonElement> AnyJson =>
        (System.Text.Json.Serialization.Metadata.JsonTypeInfo<JsonElement>)JsonSerializerOptions.Web.GetTypeInfo(typeof(JsonElement));

    private static readonly RequestRetrySettings FastRetries = new()
    {
        MaxRetries = 3, BaseDelay = TimeSpan.FromMilliseconds(10), MaxDelay = TimeSpan.FromSeconds(5), AttemptTimeout = TimeSpan.FromSeconds(10),
    };

    private static (HttpClient Client, RequestLimiter Limiter, RequestStatistics Statistics) CreateSut(
        RequestRetrySettings? settings = null, DailyRequestQuota? quota = null, PlatformLimits? limits = null, TimeProvider? time = null)
    {
        time ??= TimeProvider.System;
        var limiter = new RequestLimiter(limits ?? PlatformLimits.PerWindow(50, TimeSpan.FromSeconds(1)), time);
        var statistics = new RequestStatistics();
        var handler = new PlatformRequestHandler(limiter, quota, statistics, settings ?? FastRetries, VendorSignals.Default, time,
            NullLogger.Instance, new SocketsHttpHandler());
        return (new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan }, limiter, statistics);
    }

    private static FakeTimeProvider FakeClock() => new(new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task TooManyRequests_WaitsRetryAfter_LowersTheGroupToWhatGotThrough_AndSucceeds()
    {
        // The limiter, the retries and the wait run on a fake clock; the server answers in real time.
        var time = FakeClock();
        await using var server = (await ScriptedServer.StartAsync()).Then(200).Then(200).Then(429, retryAfter: "1");
        var (client, limiter, statistics) = CreateSut(limits: PlatformLimits.PerWindow(10, TimeSpan.FromSeconds(1)), time: time);
        (await client.GetAsync(server.Url)).Dispose();
        // The first request kept a spare slot for its cold start: the second goes after it, 300 ms later.
        var second = client.GetAsync(server.Url);
        await WaitingInTheLimiterAsync(limiter);
        time.Advance(GroupWindowSettings.ColdStart);
        (await second).Dispose();

        var third = client.GetAsync(server.Url);
        var waited = await AdvanceUntilSentAsync(time, limiter, statistics, server, requests: 4);

        using var response = await third;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, statistics.Throttled);
        Assert.True(waited >= TimeSpan.FromSeconds(1), $"sent again after {waited}, inside the Retry-After");
        // Two got through in the window before the 429: the vendor's real limit is taken to be 2 per second.
        Assert.Equal(2, limiter.Group("overall")!.PermitLimit);
    }

    [Theory]
    [InlineData("2", 2.0)]
    [InlineData("0.4", 0.4)]   // a fraction: not RFC 9110, but some vendors send it
    public async Task TooManyRequests_RetryAfter_HonouredAsGiven_NotRoundedToWholeSeconds(string retryAfter, double seconds)
    {
        var time = FakeClock();
        await using var server = (await ScriptedServer.StartAsync()).Then(429, retryAfter: retryAfter);
        var (client, limiter, statistics) = CreateSut(limits: PlatformLimits.PerWindow(100, TimeSpan.FromSeconds(1)), time: time);

        var request = client.GetAsync(server.Url);
        var waited = await AdvanceUntilSentAsync(time, limiter, statistics, server, requests: 2);

        using var response = await request;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        // Once the Retry-After and the window's slack have passed (the clock moves a millisecond per step while the request travels).
        Assert.InRange(waited, TimeSpan.FromSeconds(seconds), TimeSpan.FromSeconds(seconds) + GroupWindowSettings.Slack(TimeSpan.FromSeconds(1)) + TimeSpan.FromMilliseconds(150));
    }

    [Fact]
    public void RetryAfter_AsAnHttpDate_IsTheTimeUntilThen()
    {
        var time = FakeClock();
        using var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        response.Headers.TryAddWithoutValidation("Retry-After", (time.GetUtcNow() + TimeSpan.FromSeconds(3)).ToString("R"));

        Assert.Equal(TimeSpan.FromSeconds(3), VendorSignals.RetryAfter(response, time));
    }

    private static async Task WaitingInTheLimiterAsync(RequestLimiter limiter)
    {
        for (var i = 0; limiter.Group("overall")?.GetStatistics()?.CurrentQueuedCount is not 1; i++)
        {
            if (i > 3000) throw new TimeoutException("no request came to wait in the limiter");
            await Task.Delay(10);
        }
    }

    /// <summary>
    /// Once the refused request's retry waits in the limiter, advances the fake clock a millisecond per step
    /// until the server has seen <paramref name="requests"/> requests; returns how far it advanced.
    /// </summary>
    private static async Task<TimeSpan> AdvanceUntilSentAsync(FakeTimeProvider time, RequestLimiter limiter, RequestStatistics statistics, ScriptedServer server, int requests)
    {
        for (var i = 0; statistics.Throttled < 1; i++)
        {
            if (i > 3000) throw new TimeoutException("the request was never refused");
            await Task.Delay(10);
        }
        await WaitingInTheLimiterAsync(limiter);
        var advanced = TimeSpan.Zero;
        while (server.Requests < requests)
        {
            if (advanced > TimeSpan.FromSeconds(30)) throw new TimeoutException("the retry never left");
            time.Advance(TimeSpan.FromMilliseconds(1));
            advanced += TimeSpan.FromMilliseconds(1);
            await Task.Delay(1);
        }
        return advanced;
    }

    [Fact]
    public async Task ServerErrors_AreRetried_UntilSuccess()
    {
        await using var server = (await ScriptedServer.StartAsync()).Then(503).Then(500);
        var (client, _, statistics) = CreateSut();
        using var response = await client.GetAsync(server.Url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, statistics.Retries);
    }

    [Fact]
    public async Task ServerErrorsBeyondTheRetries_BecomeATransientCallFailure()
    {
        await using var server = (await ScriptedServer.StartAsync()).Then(502).Then(502).Then(502).Then(502);
        var (client, _, _) = CreateSut();
        var error = await Assert.ThrowsAsync<TransientCallException>(() =>
            VendorResponses.SendForJsonAsync(client, new HttpRequestMessage(HttpMethod.Get, server.Url), "get call", AnyJson, default));
        Assert.Contains("HTTP 502", error.Message, StringComparison.Ordinal);
        Assert.Equal(4, server.Requests);
    }

    [Fact]
    public async Task NotFound_IsNotRetried_AndFailsTheCallPermanently()
    {
        await using var server = (await ScriptedServer.StartAsync()).Then(404);
        var (client, _, _) = CreateSut();
        await Assert.ThrowsAsync<PermanentCallException>(() =>
            VendorResponses.SendForJsonAsync(client, new HttpRequestMessage(HttpMethod.Get, server.Url), "get call", AnyJson, default));
        Assert.Equal(1, server.Requests);
    }

    [Fact]
    public async Task SlowAnswers_TimeOutPerAttempt_AndAreRetried()
    {
        await using var server = (await ScriptedServer.StartAsync()).Then(200, delay: TimeSpan.FromSeconds(20));
        var (client, _, statistics) = CreateSut(FastRetries with { AttemptTimeout = TimeSpan.FromMilliseconds(300) });
        using var response = await client.GetAsync(server.Url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, statistics.Retries);
    }

    [Fact]
    public async Task DailyQuotaSpent_StopsBeforeTheRequestLeaves()
    {
        await using var server = await ScriptedServer.StartAsync();
        var quota = new DailyRequestQuota(new DailyRequestCounter(database.DataSource), "grain", Guid.NewGuid().ToString("N"), 3, TimeProvider.System);
        var (client, _, _) = CreateSut(quota: quota);
        for (var i = 0; i < 3; i++) (await client.GetAsync(server.Url)).Dispose();
        var error = await Assert.ThrowsAsync<DailyQuotaExhaustedException>(() => client.GetAsync(server.Url));
        Assert.Contains("daily quota of 3", error.Message, StringComparison.Ordinal);
        Assert.Equal(3, server.Requests);
    }

    [Fact]
    public async Task RequestsCountingInNoVendorLimit_DoNotSpendTheDailyQuota()
    {
        // Gong's 10,000 a day counts its API; recordings come from signed URLs on a storage host, outside it.
        await using var server = await ScriptedServer.StartAsync();
        var quota = new DailyRequestQuota(new DailyRequestCounter(database.DataSource), "gong", Guid.NewGuid().ToString("N"), 2, TimeProvider.System);
        var (client, _, _) = CreateSut(quota: quota);
        for (var i = 0; i < 5; i++)
        {
            using var download = LimitGroups.Unlimited(new HttpRequestMessage(HttpMethod.Get, server.Url));
            (await client.SendAsync(download)).Dispose();
        }
        for (var i = 0; i < 2; i++) (await client.GetAsync(server.Url)).Dispose();
        await Assert.ThrowsAsync<DailyQuotaExhaustedException>(() => client.GetAsync(server.Url));
        Assert.Equal(7, server.Requests);
    }

    [Fact]
    public async Task Unauthorized_BecomesCredentialsRejected_WithoutTheToken()
    {
        await using var server = (await ScriptedServer.StartAsync()).Then(401);
        var (client, _, _) = CreateSut();
        var request = new HttpRequestMessage(HttpMethod.Get, server.Url);
        request.Headers.Authorization = new("Bearer", "secret-token-123");
        var error = await Assert.ThrowsAsync<CredentialsRejectedException>(() =>
            VendorResponses.SendForJsonAsync(client, request, "list recordings", AnyJson, default));
        Assert.DoesNotContain("secret-token-123", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WaitingForTheLimit_IsOutsideTheAttemptTimeout_NeverRetried_AndSendsEachRequestOnce()
    {
        await using var server = await ScriptedServer.StartAsync();
        // One request per 1.5 s and a 300 ms attempt timeout: the third request waits 3 s for its turn.
        var (client, _, statistics) = CreateSut(FastRetries with { AttemptTimeout = TimeSpan.FromMilliseconds(300) },
            limits: PlatformLimits.PerWindow(1, TimeSpan.FromSeconds(1.5)));

        var responses = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => client.GetAsync(server.Url)));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(3, server.Requests);
        Assert.Equal(0, statistics.Retries);
        Assert.True(statistics.RateLimitWait >= TimeSpan.FromSeconds(2), $"waited {statistics.RateLimitWait}");
    }

    [Fact]
    public async Task TooManyRequestsWithoutRetryAfter_IsRetried_AndNotAFailure()
    {
        await using var server = (await ScriptedServer.StartAsync()).Then(429).Then(429);
        var (client, _, statistics) = CreateSut(FastRetries with { MaxRetries = 0 });
        using var response = await client.GetAsync(server.Url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, statistics.Throttled);
    }
}
