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
        var p = draft.Progress;
        var worthRetrying = p is null || p.FailedRetryable > 0 || p.CredentialsRejected || p.HasWorkLeft || draft.Previous.Phase == ImportJobPhase.Failed;
        if (!worthRetrying)
        {
            draft.Event(EventTypes.Normal, "RetryNothingToDo", $"Retry '{requested}': no failed call is retryable; nothing to do.");
            return false;
        }

        draft.Do(new ReconcileAction.ResetRetryableFailures(requested));
        if (p is not null)
        {
            draft.Progress = p with { Pending = p.Pending + p.FailedRetryable, Failed = p.Failed - p.FailedRetryable, FailedRetryable = 0, CredentialsRejected = false };
            draft.RecordProgress();
        }
        if (draft.Runs.Count > 0)
            draft.UpsertRun(draft.Runs[^1] with { RetryAfter = requested });
        draft.Status = draft.Status with { CompletedAt = null };
        draft.Event(EventTypes.Normal, "RetryRequested", $"Retry '{requested}': {p?.FailedRetryable ?? 0} failed retryable call(s) back to pending.");
        return true;
    }
}
