namespace CallImport.ImportRunner.Platforms;

/// <summary>The vendor refused the credentials (401/403, or a required key is missing): the job cannot start; only a person can fix it.</summary>
public sealed class CredentialsRejectedException(string message) : Exception(message);

/// <summary>A failure that will not go away by retrying (404, malformed payload): the call fails at once, not retryable.</summary>
public sealed class PermanentCallException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>A failure that may pass (5xx, 429, timeouts, network) after the HTTP retries gave up: retried later, up to the job's attempts.</summary>
public sealed class TransientCallException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// The day's request quota for this platform credential is spent: the run stops taking calls and waits for the next day,
/// or until <see cref="ResetsAt"/> when the vendor says when (Fireflies' <c>retryAfter</c>).
/// </summary>
public sealed class DailyQuotaExhaustedException(string message, DateTimeOffset? resetsAt = null) : Exception(message)
{
    public DateTimeOffset? ResetsAt { get; } = resetsAt;
}

/// <summary>
/// The call is not ready on the vendor's side (recording or transcript still processing): it is tried again
/// later, in a later pass or run, and the wait is not counted as a failed attempt until the run's own
/// bound on not-ready attempts (<c>--max-attempts</c> × 4) is reached.
/// </summary>
public sealed class CallNotReadyException(string message, TimeSpan? retryAfter = null) : Exception(message)
{
    /// <summary>When the vendor says to look again, if it says.</summary>
    public TimeSpan? RetryAfter { get; } = retryAfter;
}

/// <summary>The call is deliberately not imported (Gong's private calls): recorded as skipped with <see cref="Exception.Message"/> as the reason.</summary>
public sealed class CallSkippedException(string reason) : Exception(reason);

/// <summary>
/// A signed media URL was refused by its storage host (403/410, or 400 "expired"): the processor asks the
/// context for a fresh URL (<see cref="IImportContext.OpenMediaAsync"/> again) and tries once or twice more.
/// </summary>
public sealed class MediaUrlExpiredException(string message) : Exception(message);
