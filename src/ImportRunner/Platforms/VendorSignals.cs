using System.Net;

namespace CallImport.ImportRunner.Platforms;

/// <summary>HTTP's own signals: 429 throttled (Retry-After in seconds or as a date), 408 and 5xx transient, the rest final.</summary>
public class VendorSignals : IVendorSignals
{
    public static VendorSignals Default { get; } = new();

    public virtual ValueTask<ResponseSignal> ClassifyAsync(HttpResponseMessage response, TimeProvider time, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Classify(response, time));

    public static ResponseSignal Classify(HttpResponseMessage response, TimeProvider time)
    {
        var status = (int)response.StatusCode;
        if (response.StatusCode == HttpStatusCode.TooManyRequests) return ResponseSignal.Throttled(RetryAfter(response, time), "HTTP 429");
        if (response.StatusCode == HttpStatusCode.RequestTimeout || status >= 500) return ResponseSignal.Transient($"HTTP {status}");
        return ResponseSignal.Final;
    }

    /// <summary>The Retry-After header as a wait from now (seconds or an HTTP date), or null when absent.</summary>
    public static TimeSpan? RetryAfter(HttpResponseMessage response, TimeProvider time)
    {
        var header = response.Headers.RetryAfter;
        if (header is null) return null;
        var wait = header.Delta ?? (header.Date is { } date ? date - time.GetUtcNow() : (TimeSpan?)null);
        return wait is { } w && w < TimeSpan.Zero ? TimeSpan.Zero : wait;
    }

    /// <summary>An epoch-milliseconds instant (Fireflies' <c>retryAfter</c>) as a wait from now.</summary>
    public static TimeSpan UntilEpochMilliseconds(long epochMs, TimeProvider time)
    {
        var wait = DateTimeOffset.FromUnixTimeMilliseconds(epochMs) - time.GetUtcNow();
        return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
    }
}
