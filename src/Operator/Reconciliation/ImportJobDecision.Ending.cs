using CallImport.ImportJobs;
using static CallImport.Operator.Reconciliation.ImportJobConditions;

namespace CallImport.Operator.Reconciliation;

public static partial class ImportJobDecision
{
    private static ReconcilePlan CredentialsRejected(DecisionDraft draft)
    {
        var message = ImportJobMessages.CredentialsRejected(draft.Name, draft.Spec.CredentialsSecretRef.Name, draft.Spec.Platform);
        if (draft.SetCondition(Stalled, ConditionStatus.True, Reasons.CredentialsRejected, message))
            draft.Event(EventTypes.Warning, Reasons.CredentialsRejected, message);
        return End(draft, ImportJobPhase.Failed, message);
    }

    /// <summary>Every call done: Completed, Partial or Failed by the counts.</summary>
    private static ReconcilePlan EndByCounts(DecisionDraft draft, ImportProgress p) =>
        p.Failed == 0 ? End(draft, ImportJobPhase.Completed, ImportJobMessages.Completed(p))
        : p.Processed == 0 && p.Skipped == 0 ? End(draft, ImportJobPhase.Failed, ImportJobMessages.AllFailed(draft.Name, p))
        : End(draft, ImportJobPhase.Partial, ImportJobMessages.Partial(draft.Name, p));

    /// <summary>The import has ended; a Completed one with credentialsPolicy DeleteAfterImport loses its Secret, once.</summary>
    private static ReconcilePlan End(DecisionDraft draft, string phase, string message)
    {
        draft.RemoveCondition(Progressing);
        if (phase != ImportJobPhase.Failed)
            draft.RemoveCondition(Stalled);
        draft.Status = draft.Status with { CompletedAt = draft.Status.CompletedAt ?? draft.Now, EstimatedCompletionTime = null };

        var secret = draft.Spec.CredentialsSecretRef.Name;
        if (phase == ImportJobPhase.Completed
            && draft.Spec.EffectiveCredentialsPolicy == CredentialsPolicies.DeleteAfterImport
            && draft.Observed.CredentialsSecret.Exists
            && draft.Condition(CredentialsDeleted)?.Status != ConditionStatus.True)
        {
            var deleted = $"Secret '{secret}' deleted after the import completed (credentialsPolicy DeleteAfterImport).";
            draft.Do(new ReconcileAction.DeleteCredentialsSecret(secret));
            draft.SetCondition(CredentialsDeleted, ConditionStatus.True, Reasons.DeleteAfterImport, deleted);
            draft.Event(EventTypes.Normal, "CredentialsDeleted", deleted);
        }
        return draft.Finish(phase, message, null);
    }
}
