using CallImport.ImportJobs;

namespace CallImport.Operator.Reconciliation;

public static partial class ImportJobDecision
{
    /// <summary>A new value of the retry annotation: failed retryable calls back to pending, the import revived.</summary>
    private static bool HandleRetry(DecisionDraft draft)
    {
        string? requested = null;
        if (draft.ImportJob.Metadata.Annotations?.TryGetValue(ImportJobResource.RetryAnnotation, out requested) != true
            || string.IsNullOrWhiteSpace(requested) || requested == draft.Previous.LastHandledRetryAt)
            return false;

        draft.Status = draft.Status with { LastHandledRetryAt = requested };
        return Revive(draft, requested, $"Retry '{requested}'");
    }

    /// <summary>
    /// The credentials or settings were refused and the Secret has changed since (replaced, a key added): try again
    /// by itself, as a retry would, once per change of the Secret.
    /// </summary>
    private static bool RetryWithReplacedSecret(DecisionDraft draft)
    {
        var secret = draft.Observed.CredentialsSecret;
        if (draft.Previous.RefusedSecretVersion is not { } refused || !secret.Exists || secret.Version is null || secret.Version == refused)
            return false;
        draft.Status = draft.Status with { RefusedSecretVersion = null };
        draft.RemoveCondition(ImportJobConditions.Stalled);
        return Revive(draft, $"secret-{secret.Version}", $"Secret '{draft.Spec.CredentialsSecretRef.Name}' changed");
    }

    private static bool Revive(DecisionDraft draft, string requested, string what)
    {
        var p = draft.Progress;
        var worthRetrying = p is null || p.FailedRetryable > 0 || p.CredentialsRejected || p.SettingsRejected is not null || p.HasWorkLeft
                            || draft.Previous.Phase == ImportJobPhase.Failed;
        if (!worthRetrying)
        {
            draft.Event(EventTypes.Normal, "RetryNothingToDo", $"{what}: no failed call is retryable; nothing to do.");
            return false;
        }

        draft.Do(new ReconcileAction.ResetRetryableFailures(requested));
        if (p is not null)
        {
            draft.Progress = p with { Pending = p.Pending + p.FailedRetryable, Failed = p.Failed - p.FailedRetryable, FailedRetryable = 0, CredentialsRejected = false, SettingsRejected = null };
            draft.RecordProgress();
        }
        if (draft.Runs.Count > 0)
            draft.UpsertRun(draft.Runs[^1] with { RetryAfter = requested });
        draft.Status = draft.Status with { CompletedAt = null, RefusedSecretVersion = null };
        draft.Event(EventTypes.Normal, "RetryRequested", $"{what}: {p?.FailedRetryable ?? 0} failed retryable call(s) back to pending.");
        return true;
    }
}
