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

    /// <summary>
    /// The Retry-After header as a wait from now, as precise as the vendor gave it: whole seconds, an HTTP date
    /// (to the second, from now rather than rounded), or seconds with a fraction (not RFC 9110, but sent by some
    /// vendors, and refused by .NET's parser); null when absent or unreadable.
    /// </summary>
    public static TimeSpan? RetryAfter(HttpResponseMessage response, TimeProvider time)
    {
        var header = response.Headers.RetryAfter;
        var wait = header?.Delta ?? (header?.Date is { } date ? date - time.GetUtcNow() : FractionalSeconds(response));
        return wait is { } w && w < TimeSpan.Zero ? TimeSpan.Zero : wait;
    }

    private static TimeSpan? FractionalSeconds(HttpResponseMessage response) =>
        response.Headers.NonValidated.TryGetValues("Retry-After", out var values)
        && values.FirstOrDefault() is { } raw
        && double.TryParse(raw.Trim(), System.Globalization.NumberStyles.AllowDecimalPoint, System.Globalization.CultureInfo.InvariantCulture, out var seconds)
        && seconds < TimeSpan.MaxValue.TotalSeconds
            ? TimeSpan.FromSeconds(seconds)
            : null;

    /// <summary>An epoch-milliseconds instant (Fireflies' <c>retryAfter</c>) as a wait from now.</summary>
    public static TimeSpan UntilEpochMilliseconds(long epochMs, TimeProvider time)
    {
        var wait = DateTimeOffset.FromUnixTimeMilliseconds(epochMs) - time.GetUtcNow();
        return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
    }
}
