using System.Net;
using System.Text;
using CallImport.ImportRunner.Platforms;
using CallImport.ImportRunner.Platforms.HubSpot;

namespace CallImport.ImportRunner.Tests.Platforms.HubSpot;

public sealed class HubSpotSignalsTests
{
    private static HttpResponseMessage Answer(HttpStatusCode status, string body) =>
        new(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") };

    [Fact]
    public async Task RateLimitBody_WithoutRetryAfter_IsThrottling_TheLimiterLearnsTheWait()
    {
        using var response = Answer(HttpStatusCode.TooManyRequests,
            """{"status":"error","message":"You have reached your ten_secondly_rolling limit.","errorType":"RATE_LIMIT","correlationId":"c1","policyName":"TEN_SECONDLY_ROLLING"}""");

        var signal = await HubSpotSignals.Instance.ClassifyAsync(response, TimeProvider.System, CancellationToken.None);

        Assert.Equal(ResponseKind.Throttled, signal.Kind);
        Assert.Null(signal.RetryAfter);
        Assert.Contains("TEN_SECONDLY_ROLLING", signal.Reason, StringComparison.Ordinal);
        // The body stays readable for the context.
        Assert.Contains("RATE_LIMIT", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DailyPolicy_IsFinal_AndTheContextStopsTheRunForTheDay()
    {
        using var response = Answer(HttpStatusCode.TooManyRequests,
            """{"status":"error","message":"You have reached your daily limit.","errorType":"RATE_LIMIT","correlationId":"c2","policyName":"DAILY"}""");

        var signal = await HubSpotSignals.Instance.ClassifyAsync(response, TimeProvider.System, CancellationToken.None);
        var error = await Assert.ThrowsAsync<DailyQuotaExhaustedException>(() => HubSpotClient.EnsureSuccessAsync(response, "HubSpot test", CancellationToken.None));

        Assert.Equal(ResponseKind.Final, signal.Kind);
        Assert.Contains("daily request limit", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(HttpStatusCode.InternalServerError, ResponseKind.Transient)]
    [InlineData(HttpStatusCode.BadRequest, ResponseKind.Final)]
    public async Task OtherAnswers_AsHttpSays(HttpStatusCode status, ResponseKind kind)
    {
        using var response = Answer(status, """{"status":"error","message":"x","correlationId":"c3","category":"VALIDATION_ERROR"}""");
        Assert.Equal(kind, (await HubSpotSignals.Instance.ClassifyAsync(response, TimeProvider.System, CancellationToken.None)).Kind);
    }
}
