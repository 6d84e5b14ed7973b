namespace CallImport.Operator.Reconciliation;

/// <summary>One thing the reconciler must do against the API server or the store, in the order given.</summary>
public abstract record ReconcileAction
{
    private ReconcileAction() { }

    /// <summary>Create runner Job <paramref name="JobName"/>; the runner stops taking calls at <paramref name="StopAt"/> (null: no stop).</summary>
    public sealed record CreateRunnerJob(int RunNumber, string JobName, DateTimeOffset? StopAt) : ReconcileAction;

    /// <summary>Delete a runner Job with its pods (propagation Background); a missing Job is fine.</summary>
    public sealed record DeleteRunnerJob(string JobName) : ReconcileAction;

    /// <summary>In the store: failed retryable calls back to pending, the credentials-rejected flag cleared.</summary>
    public sealed record ResetRetryableFailures(string RetryValue) : ReconcileAction;

    public sealed record DeleteCredentialsSecret(string SecretName) : ReconcileAction;

    public sealed record AddFinalizer(string Finalizer) : ReconcileAction;

    public sealed record RemoveFinalizer(string Finalizer) : ReconcileAction;

    /// <summary>A Kubernetes Event on the ImportJob (<paramref name="Type"/> Normal or Warning).</summary>
    public sealed record EmitEvent(string Type, string Reason, string Message) : ReconcileAction;
}

/// <summary>The values of an Event's type.</summary>
public static class EventTypes
{
    public const string Normal = "Normal";
    public const string Warning = "Warning";
}
