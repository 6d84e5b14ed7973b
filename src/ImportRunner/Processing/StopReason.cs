namespace CallImport.ImportRunner.Processing;

/// <summary>Why a run stopped taking calls before every call was settled.</summary>
public enum StopReason { WindowClosed, DailyQuotaExhausted, Interrupted, CredentialsRejected, InvalidSettings, PlatformUnavailable, DatabaseUnavailable }
