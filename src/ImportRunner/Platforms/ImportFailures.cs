namespace CallImport.ImportRunner.Platforms;

/// <summary>The vendor refused the credentials (401/403, or a required key is missing): the job cannot start; only a person can fix it.</summary>
public sealed class CredentialsRejectedException(string message) : Exception(message);

/// <summary>A failure that will not go away by retrying (404, malformed payload): the call fails at once, not retryable.</summary>
public sealed class PermanentCallException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>A failure that may pass (5xx, 429, timeouts, network) after the HTTP retries gave up: retried later, up to the job's attempts.</summary>
public sealed class TransientCallException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>The day's request quota for this platform credential is spent: the run stops taking calls and waits for the next day.</summary>
public sealed class DailyQuotaExhaustedException(string message) : Exception(message);
