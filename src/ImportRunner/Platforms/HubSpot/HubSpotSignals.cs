using System.Net;
using System.Text.Json;

namespace CallImport.ImportRunner.Platforms.HubSpot;

/// <summary>
/// HubSpot answers a burst with 429 and a body <c>{"errorType":"RATE_LIMIT","policyName":…}</c>, usually without
/// Retry-After: that is throttling, and the limiter learns the limit from what got through (a Retry-After, when
/// sent, is honoured). The daily policy (<c>DAILY</c>) is not waited out request by request: it is final here,
/// and the context stops the run for the day (<see cref="DailyQuotaExhaustedException"/>).
/// </summary>
internal sealed class HubSpotSignals : VendorSignals
{
    public const string DailyPolicy = "DAILY";

    public static HubSpotSignals Instance { get; } = new();

    public override async ValueTask<ResponseSignal> ClassifyAsync(HttpResponseMessage response, TimeProvider time, CancellationToken cancellationToken)
    {
        if (response.StatusCode != HttpStatusCode.TooManyRequests) return Classify(response, time);
        var error = await ReadErrorAsync(response, cancellationToken);
        if (string.Equals(error?.PolicyName, DailyPolicy, StringComparison.OrdinalIgnoreCase)) return ResponseSignal.Final;
        return ResponseSignal.Throttled(RetryAfter(response, time), $"HTTP 429 {error?.PolicyName ?? error?.ErrorType ?? ""}".TrimEnd());
    }

    /// <summary>The error body, buffered so the context can read it again; null when it is not HubSpot's JSON.</summary>
    public static async Task<HubSpotError?> ReadErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            await response.Content.LoadIntoBufferAsync(cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            return body.Length == 0 ? null : JsonSerializer.Deserialize(body, HubSpotJson.Default.HubSpotError);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
