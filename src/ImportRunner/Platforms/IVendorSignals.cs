namespace CallImport.ImportRunner.Platforms;

/// <summary>What the HTTP pipeline makes of a vendor's answer.</summary>
public enum ResponseKind
{
    /// <summary>Hand the answer to the context (success, or a failure retrying cannot fix).</summary>
    Final,
    /// <summary>Retry with backoff (5xx, 408, a vendor's "try again").</summary>
    Transient,
    /// <summary>The vendor throttled the request's group: the group goes quiet, then the request is retried. Never a failure.</summary>
    Throttled,
}

/// <summary>
/// A classified answer. <paramref name="RetryAfter"/>: how long the throttled group stays quiet (from
/// Retry-After in seconds or as an HTTP date, a body's epoch-ms <c>retryAfter</c>, or a penalty window);
/// null means the vendor did not say, and the limiter learns the limit from what got through.
/// </summary>
public readonly record struct ResponseSignal(ResponseKind Kind, TimeSpan? RetryAfter = null, string? Reason = null)
{
    public static ResponseSignal Final => new(ResponseKind.Final);
    public static ResponseSignal Transient(string? reason = null) => new(ResponseKind.Transient, null, reason);
    public static ResponseSignal Throttled(TimeSpan? retryAfter, string? reason = null) => new(ResponseKind.Throttled, retryAfter, reason);
}

/// <summary>
/// A context's reading of its vendor's signals, asked by the HTTP pipeline for every answer: throttled (and
/// for how long), transient, or final. Fireflies' GraphQL <c>too_many_requests</c> inside an HTTP 200 is
/// "throttled"; RingCentral's 429 starts a penalty window. Reading the body is allowed (buffer it first with
/// <see cref="HttpContent.LoadIntoBufferAsync()"/> so the context can still read it); never for media.
/// Start from <see cref="VendorSignals.Default"/> and add the vendor's own cases.
/// </summary>
public interface IVendorSignals
{
    ValueTask<ResponseSignal> ClassifyAsync(HttpResponseMessage response, TimeProvider time, CancellationToken cancellationToken);
}
