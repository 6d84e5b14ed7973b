using System.Net;
using System.Text;
using CallImport.ImportRunner.Platforms;
using CallImport.ImportRunner.Platforms.Fireflies;
using Microsoft.Extensions.Time.Testing;

namespace CallImport.ImportRunner.Tests.Platforms.Fireflies;

public sealed class FirefliesSignalsTests
{
    private static readonly FakeTimeProvider Time = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));

    private static HttpResponseMessage Answer(HttpStatusCode status, string json, HttpMethod? method = null) => new(status)
    {
        Content = new StringContent(json, Encoding.UTF8, "application/json"),
        RequestMessage = new HttpRequestMessage(method ?? HttpMethod.Post, "https://api.fireflies.ai/graphql"),
    };

    private static string TooManyRequests(DateTimeOffset retryAt) =>
        "{\"data\":null,\"errors\":[{\"message\":\"Too many requests\",\"code\":\"too_many_requests\",\"extensions\":{\"code\":\"too_many_requests\",\"status\":429,\"metadata\":{\"retryAfter\":"
        + retryAt.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture) + "}}}]}";

    [Fact]
    public async Task TooManyRequests_InAn200_IsThrottled_UntilRetryAfter()
    {
        using var response = Answer(HttpStatusCode.OK, TooManyRequests(Time.GetUtcNow().AddSeconds(40)));

        var signal = await FirefliesSignals.Instance.ClassifyAsync(response, Time, CancellationToken.None);

        Assert.Equal(ResponseKind.Throttled, signal.Kind);
        Assert.Equal(TimeSpan.FromSeconds(40), signal.RetryAfter);
        // The context can still read the body.
        Assert.Contains("too_many_requests", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TooManyRequests_UntilTomorrow_IsFinal_TheDaysQuotaIsSpent()
    {
        using var response = Answer(HttpStatusCode.OK, TooManyRequests(Time.GetUtcNow().AddHours(12)));

        var signal = await FirefliesSignals.Instance.ClassifyAsync(response, Time, CancellationToken.None);

        Assert.Equal(ResponseKind.Final, signal.Kind);
    }

    [Fact]
    public async Task AuthFailed_InAn500_IsFinal_NotRetried()
    {
        using var response = Answer(HttpStatusCode.InternalServerError,
            """{"data":null,"errors":[{"message":"Invalid API key","code":"auth_failed","extensions":{"code":"auth_failed","status":401}}]}""");

        var signal = await FirefliesSignals.Instance.ClassifyAsync(response, Time, CancellationToken.None);

        Assert.Equal(ResponseKind.Final, signal.Kind);
    }

    [Theory]
    [InlineData(HttpStatusCode.InternalServerError, """{"errors":[{"message":"Internal server error","extensions":{"code":"INTERNAL_SERVER_ERROR"}}]}""", ResponseKind.Transient)]
    [InlineData(HttpStatusCode.BadGateway, "<html>bad gateway</html>", ResponseKind.Transient)]
    [InlineData(HttpStatusCode.OK, """{"data":{"transcript":null},"errors":[{"message":"Transcript not found","code":"object_not_found"}]}""", ResponseKind.Final)]
    [InlineData(HttpStatusCode.OK, """{"data":{"user":{"user_id":"u"}}}""", ResponseKind.Final)]
    public async Task OtherAnswers_AsHttpSays(HttpStatusCode status, string body, ResponseKind expected)
    {
        using var response = Answer(status, body);

        var signal = await FirefliesSignals.Instance.ClassifyAsync(response, Time, CancellationToken.None);

        Assert.Equal(expected, signal.Kind);
    }

    [Fact]
    public async Task MediaDownload_IsNeverRead()
    {
        // A GET (the pre-signed audio download) is classified from its status alone: the body stays a stream.
        using var response = Answer(HttpStatusCode.OK, TooManyRequests(Time.GetUtcNow().AddSeconds(40)), HttpMethod.Get);

        var signal = await FirefliesSignals.Instance.ClassifyAsync(response, Time, CancellationToken.None);

        Assert.Equal(ResponseKind.Final, signal.Kind);
    }
}
