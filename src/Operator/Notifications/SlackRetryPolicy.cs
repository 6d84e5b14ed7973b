using System.Net;
using System.Net.Http.Headers;

namespace CallImport.Operator.Notifications;

/// <summary>
/// Which webhook answers are worth another attempt, and when. Slack answers an incoming webhook with 200 <c>ok</c>;
/// 400 (<c>invalid_payload</c>, <c>no_text</c>), 403 (<c>action_prohibited</c>, <c>invalid_token</c>), 404
/// (<c>no_service</c>, <c>channel_not_found</c>) and 410 (<c>channel_is_archived</c>) are final; 429 comes with
/// <c>Retry-After</c> (seconds) and 5xx are transient.
/// </summary>
public static class SlackRetryPolicy
{
    public static bool IsTransient(HttpStatusCode status) =>
        status == HttpStatusCode.TooManyRequests || (int)status >= 500 || status == HttpStatusCode.RequestTimeout;

    /// <summary>The delay before attempt <paramref name="attempt"/>+1 (0-based): Slack's Retry-After when given, else exponential, capped.</summary>
    public static TimeSpan Delay(int attempt, RetryConditionHeaderValue? retryAfter, DateTimeOffset now, TimeSpan first, TimeSpan max)
    {
        var backoff = TimeSpan.FromTicks(Math.Min(max.Ticks, first.Ticks * (1L << Math.Min(attempt, 20))));
        var asked = retryAfter switch
        {
            { Delta: { } delta } => delta,
            { Date: { } date } => date - now,
            _ => (TimeSpan?)null,
        };
        // Slack's own answer wins, even past our cap: it says when the webhook takes messages again.
        return asked is { } wait && wait > TimeSpan.Zero ? wait : backoff;
    }
}
