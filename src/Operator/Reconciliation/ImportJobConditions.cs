namespace CallImport.Operator.Reconciliation;

/// <summary>Condition types and reasons the operator writes on an ImportJob.</summary>
public static class ImportJobConditions
{
    /// <summary>True once the import is Completed; otherwise False with the phase as reason.</summary>
    public const string Ready = "Ready";

    /// <summary>True when only a person can move the import on; the message says what to do.</summary>
    public const string Stalled = "Stalled";

    /// <summary>Whether a run could be started: False says which cap holds it back.</summary>
    public const string Scheduled = "Scheduled";

    /// <summary>While a run is going: whether its runner still reports progress.</summary>
    public const string Progressing = "Progressing";

    /// <summary>True once the credentials Secret was deleted by credentialsPolicy DeleteAfterImport.</summary>
    public const string CredentialsDeleted = "CredentialsDeleted";

    public const string Finalizer = "callimport.io/runner-jobs";

    public static class Reasons
    {
        public const string SecretNotFound = "SecretNotFound";
        public const string SecretKeysMissing = "SecretKeysMissing";
        public const string CredentialsRejected = "CredentialsRejected";
        public const string SettingsRejected = "SettingsRejected";
        public const string SecretStillInUse = "SecretStillInUse";
        public const string ActionFailed = "ActionFailed";
        public const string UnknownPlatform = "UnknownPlatform";
        public const string InvalidSchedule = "InvalidSchedule";
        public const string RunStarted = "RunStarted";
        public const string ConcurrencyLimit = "ConcurrencyLimit";
        public const string CustomerLimit = "CustomerLimit";
        public const string PlatformLimit = "PlatformLimit";
        public const string HeartbeatFresh = "HeartbeatFresh";
        public const string HeartbeatStale = "HeartbeatStale";
        public const string DeleteAfterImport = "DeleteAfterImport";
    }
}
