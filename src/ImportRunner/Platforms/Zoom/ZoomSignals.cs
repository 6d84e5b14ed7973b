using System.Globalization;
using System.Net;

namespace CallImport.ImportRunner.Platforms.Zoom;

/// <summary>
/// Zoom's throttle signals: a 429 with <c>X-RateLimit-Type: QPS</c> (per-second limit, no Retry-After: the
/// group pauses a second) or <c>Daily-limit</c> with <c>Retry-After</c> as an ISO time (as Zoom's docs show it,
/// which HTTP's own parser refuses) or in HTTP's forms; 5xx transient; the rest final.
/// </summary>
internal sealed class ZoomSignals : VendorSignals
{
    public static ZoomSignals Instance { get; } = new();

    public override ValueTask<ResponseSignal> ClassifyAsync(HttpResponseMessage response, TimeProvider time, CancellationToken cancellationToken)
    {
        if (response.StatusCode != HttpStatusCode.TooManyRequests) return base.ClassifyAsync(response, time, cancellationToken);
        var type = Header(response, "X-RateLimit-Type");
        var category = Header(response, "X-RateLimit-Category");
        var wait = RetryAfter(response, time) ?? IsoRetryAfter(response, time) ?? TimeSpan.FromSeconds(1);
        return ValueTask.FromResult(ResponseSignal.Throttled(wait, $"HTTP 429 ({category ?? "?"} {type ?? "limit"})"));
    }

    private static TimeSpan? IsoRetryAfter(HttpResponseMessage response, TimeProvider time) =>
        Header(response, "Retry-After") is { } text
        && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? at - time.GetUtcNow() is var wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero
            : null;

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.NonValidated.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;
}
