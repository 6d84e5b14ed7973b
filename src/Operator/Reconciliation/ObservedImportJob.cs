using CallImport.ImportJobs;

namespace CallImport.Operator.Reconciliation;

/// <summary>Everything the decision for one ImportJob looks at, gathered by the reconciler before deciding.</summary>
/// <param name="ImportJob">The resource as read from the API server.</param>
/// <param name="RunnerJobs">Its runner Jobs (found by label and owner reference), finished ones included.</param>
/// <param name="CredentialsSecret">Whether <c>spec.credentialsSecretRef</c> exists, and its keys.</param>
/// <param name="Progress">What the store knows of the import; null when it has no record of it yet.</param>
/// <param name="Capacity">Runner Jobs of other ImportJobs now running, against the operator's caps.</param>
/// <param name="Settings">The operator's settings.</param>
/// <param name="Now">The reconciler's clock, read once.</param>
public sealed record ObservedImportJob(
    ImportJob ImportJob,
    IReadOnlyList<RunnerJobState> RunnerJobs,
    CredentialsSecretState CredentialsSecret,
    ImportProgress? Progress,
    RunCapacity Capacity,
    OperatorSettings Settings,
    DateTimeOffset Now);
