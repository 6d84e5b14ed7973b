using CallImport.ImportJobs;
using CallImport.Operator.ApiServer;
using CallImport.Operator.Reconciliation;
using Microsoft.Extensions.Logging;

namespace CallImport.Operator.Audit;

/// <summary>
/// The audit trail of an import: who asked, when its credentials were handed to a runner and when deleted, retries
/// and cancels. Each is a structured log event (property <c>Audit</c> names it; filter on it) and a Kubernetes Event
/// on the ImportJob. Only the Secret's name and key names ever appear, never a value.
/// </summary>
internal sealed class AuditTrail(EventRecorder events, ILogger<AuditTrail> logger)
{
    public static class Reasons
    {
        public const string Accepted = "ImportAccepted";
        public const string CredentialsRead = "CredentialsRead";
        public const string CredentialsDeleted = "CredentialsDeleted";
        public const string RetryRequested = "RetryRequested";
        public const string CancelRequested = "CancelRequested";
    }

    /// <summary>After a status write: a new ImportJob taken on, or a cancel acted on.</summary>
    public async Task TransitionAsync(ImportJob importJob, string? from, string? to, CancellationToken cancellationToken)
    {
        if (from is null && to is not null)
            await AcceptedAsync(importJob, cancellationToken);
        if (to == ImportJobPhase.Cancelled && from != to)
            await CancelRequestedAsync(importJob, cancellationToken);
    }

    /// <summary>After the plan's actions were carried out: the ones the audit trail records.</summary>
    public async Task ActionsAsync(ImportJob importJob, IEnumerable<ReconcileAction> actions, CancellationToken cancellationToken)
    {
        foreach (var action in actions)
        {
            switch (action)
            {
                case ReconcileAction.CreateRunnerJob run:
                    await CredentialsReadAsync(importJob, run.JobName, cancellationToken);
                    break;
                case ReconcileAction.DeleteCredentialsSecret:
                    await CredentialsDeletedAsync(importJob, cancellationToken);
                    break;
                case ReconcileAction.ResetRetryableFailures retry:
                    await RetryRequestedAsync(importJob, retry.RetryValue, cancellationToken);
                    break;
            }
        }
    }

    /// <summary>The operator took the ImportJob on (its first status).</summary>
    public Task AcceptedAsync(ImportJob importJob, CancellationToken cancellationToken)
    {
        var who = AuditIdentity.Of(importJob);
        return RecordAsync(importJob, Reasons.Accepted,
            $"Import for customer {importJob.Spec.CustomerId} from {importJob.Spec.Platform} requested by {who.RequestedBy}, created with {who.CreatedWith}.",
            withEvent: true, cancellationToken);
    }

    /// <summary>A runner Job was created that mounts the credentials Secret: the runner reads the credentials.</summary>
    public Task CredentialsReadAsync(ImportJob importJob, string jobName, CancellationToken cancellationToken) =>
        RecordAsync(importJob, Reasons.CredentialsRead,
            $"Runner Job {jobName} mounts Secret {importJob.Spec.CredentialsSecretRef.Name} read-only to read the credentials.",
            withEvent: true, cancellationToken);

    /// <summary>The credentials Secret was deleted (credentialsPolicy DeleteAfterImport); the decision already emits its Event.</summary>
    public Task CredentialsDeletedAsync(ImportJob importJob, CancellationToken cancellationToken) =>
        RecordAsync(importJob, Reasons.CredentialsDeleted, $"Deleted Secret {importJob.Spec.CredentialsSecretRef.Name} (credentialsPolicy DeleteAfterImport).",
            withEvent: false, cancellationToken);

    /// <summary>A retry was acted on; the decision already emits its Event.</summary>
    public Task RetryRequestedAsync(ImportJob importJob, string retryValue, CancellationToken cancellationToken) =>
        RecordAsync(importJob, Reasons.RetryRequested, $"Retry '{retryValue}' handled: failed retryable calls back to pending.",
            withEvent: false, cancellationToken);

    /// <summary>spec.cancel was acted on (the ImportJob is now Cancelled).</summary>
    public Task CancelRequestedAsync(ImportJob importJob, CancellationToken cancellationToken) =>
        RecordAsync(importJob, Reasons.CancelRequested, "Cancelled by spec.cancel: no new calls are taken; the record stays.",
            withEvent: true, cancellationToken);

    private async Task RecordAsync(ImportJob importJob, string reason, string message, bool withEvent, CancellationToken cancellationToken)
    {
        var who = AuditIdentity.Of(importJob);
        logger.LogInformation("Audit {Audit} {Namespace}/{ImportJob} ({ImportJobUid}) customer {CustomerId} platform {Platform} requestedBy {RequestedBy} createdWith {CreatedWith}: {AuditMessage}",
            reason, importJob.Metadata.Namespace, importJob.Metadata.Name, importJob.Metadata.Uid, importJob.Spec.CustomerId, importJob.Spec.Platform,
            who.RequestedBy, who.CreatedWith, message);
        if (withEvent)
            await events.RecordAsync(importJob, EventTypes.Normal, reason, message, cancellationToken);
    }
}
