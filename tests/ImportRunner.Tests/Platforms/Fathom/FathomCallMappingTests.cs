using System.Net;
using CallImport.ImportRunner.Platforms;
using CallImport.ImportRunner.Platforms.Fathom;

namespace CallImport.ImportRunner.Tests.Platforms.Fathom;

public sealed class FathomCallMappingTests
{
    [Theory]
    [InlineData("00:00:00", 0)]
    [InlineData("00:01:05", 65)]
    [InlineData("01:02:03", 3723)]
    [InlineData("26:00:00", 93600)]
    public void Timestamp_HoursMinutesSeconds(string value, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), FathomCallMapping.Timestamp(value, "t"));

    [Theory]
    [InlineData("1:2")]
    [InlineData("00:61:00")]
    [InlineData("")]
    [InlineData(null)]
    public void Timestamp_NotHoursMinutesSeconds_IsAMalformedPayload(string? value) =>
        Assert.Contains("malformed payload", Assert.Throws<PermanentCallException>(() => FathomCallMapping.Timestamp(value, "t")).Message, StringComparison.Ordinal);

    [Fact]
    public void Transcript_WithoutLines_IsNone() =>
        Assert.Null(FathomCallMapping.ToTranscript([new FathomTranscriptItem(null, "  ", "00:00:01")], "t"));

    [Fact]
    public async Task Signals_429WithOnlyRateLimitReset_WaitsForTheReset()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        response.Headers.TryAddWithoutValidation("RateLimit-Reset", "12");

        var signal = await FathomSignals.Instance.ClassifyAsync(response, TimeProvider.System, CancellationToken.None);

        Assert.Equal((ResponseKind.Throttled, TimeSpan.FromSeconds(12)), (signal.Kind, signal.RetryAfter));
    }

    [Fact]
    public async Task Signals_500_IsTransient()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.InternalServerError);

        var signal = await FathomSignals.Instance.ClassifyAsync(response, TimeProvider.System, CancellationToken.None);

        Assert.Equal(ResponseKind.Transient, signal.Kind);
    }
}
