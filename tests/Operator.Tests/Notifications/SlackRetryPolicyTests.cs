using System.Net;
using System.Net.Http.Headers;
using CallImport.Operator.Notifications;

namespace CallImport.Operator.Tests.Notifications;

public sealed class SlackRetryPolicyTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 15, 3, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(HttpStatusCode.TooManyRequests, true)]
    [InlineData(HttpStatusCode.InternalServerError, true)]
    [InlineData(HttpStatusCode.BadGateway, true)]
    [InlineData(HttpStatusCode.ServiceUnavailable, true)]
    [InlineData(HttpStatusCode.BadRequest, false)]      // invalid_payload, no_text
    [InlineData(HttpStatusCode.Forbidden, false)]       // action_prohibited, invalid_token
    [InlineData(HttpStatusCode.NotFound, false)]        // no_service, channel_not_found
    [InlineData(HttpStatusCode.Gone, false)]            // channel_is_archived
    [InlineData(HttpStatusCode.OK, false)]
    public void IsTransient_OnlyThrottlingAndServerErrors(HttpStatusCode status, bool transient) =>
        Assert.Equal(transient, SlackRetryPolicy.IsTransient(status));

    [Fact]
    public void Delay_WithoutRetryAfter_DoublesUpToTheCap()
    {
        var delays = Enumerable.Range(0, 6).Select(a => SlackRetryPolicy.Delay(a, null, Now, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(20)));

        Assert.Equal([2, 4, 8, 16, 20, 20], delays.Select(d => d.TotalSeconds));
    }

    [Fact]
    public void Delay_RetryAfterSeconds_IsHonouredEvenAboveTheCap()
    {
        Assert.Equal(TimeSpan.FromSeconds(30), SlackRetryPolicy.Delay(0, new RetryConditionHeaderValue(TimeSpan.FromSeconds(30)), Now, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(20)));
    }

    [Fact]
    public void Delay_RetryAfterDate_WaitsUntilThen()
    {
        Assert.Equal(TimeSpan.FromSeconds(7), SlackRetryPolicy.Delay(3, new RetryConditionHeaderValue(Now.AddSeconds(7)), Now, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(20)));
    }
}
