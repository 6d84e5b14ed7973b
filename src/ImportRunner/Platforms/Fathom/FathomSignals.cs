using System.Globalization;
using System.Net;

namespace CallImport.ImportRunner.Platforms.Fathom;

/// <summary>
/// Fathom answers 429 with <c>RateLimit-Reset</c> (seconds until its window resets) and may send no Retry-After:
/// the reset is the wait then. Everything else as HTTP says.
/// </summary>
internal sealed class FathomSignals : VendorSignals
{
    public static FathomSignals Instance { get; } = new();

    public override ValueTask<ResponseSignal> ClassifyAsync(HttpResponseMessage response, TimeProvider time, CancellationToken cancellationToken)
    {
        if (response.StatusCode != HttpStatusCode.TooManyRequests) return base.ClassifyAsync(response, time, cancellationToken);
        var wait = RetryAfter(response, time) ?? ResetIn(response);
        return ValueTask.FromResult(ResponseSignal.Throttled(wait, "HTTP 429"));
    }

    internal static TimeSpan? ResetIn(HttpResponseMessage response) =>
        response.Headers.TryGetValues("RateLimit-Reset", out var values)
        && double.TryParse(values.FirstOrDefault(), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0
            ? TimeSpan.FromSeconds(seconds)
            : null;
}
