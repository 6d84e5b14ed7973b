using CallImport.ImportJobs;
using static CallImport.Operator.Reconciliation.ImportJobConditions;

namespace CallImport.Operator.Reconciliation;

public static partial class ImportJobDecision
{
    private static ReconcilePlan CredentialsRejected(DecisionDraft draft)
    {
        var message = ImportJobMessages.CredentialsRejected(draft.Name, draft.Spec.CredentialsSecretRef.Name, draft.Spec.Platform);
        return StallEnded(draft, Reasons.CredentialsRejected, message);
    }

    /// <summary>The runner refused the spec or the Secret's settings before any call: its own message, at once, no crash loop.</summary>
    private static ReconcilePlan SettingsRejected(DecisionDraft draft, string problem)
    {
        var message = ImportJobMessages.SettingsRejected(draft.Name, draft.Spec.CredentialsSecretRef.Name, problem);
        return StallEnded(draft, Reasons.SettingsRejected, message);
    }

    /// <summary>
    /// Failed and Stalled: nothing more happens until a person acts. The Secret's version is kept, so that
    /// replacing the Secret tries again by itself.
    /// </summary>
    private static ReconcilePlan StallEnded(DecisionDraft draft, string reason, string message)
    {
        if (draft.SetCondition(Stalled, ConditionStatus.True, reason, message))
            draft.Event(EventTypes.Warning, reason, message);
        draft.Status = draft.Status with { RefusedSecretVersion = draft.Observed.CredentialsSecret.Version ?? "" };
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

        DeleteCredentialsAfterImport(draft, phase);
        return draft.Finish(phase, message, null);
    }

    /// <summary>
    /// A Completed import with credentialsPolicy DeleteAfterImport deletes its Secret, once, but only when no other
    /// unfinished ImportJob in the namespace uses it (the last of them to complete deletes it).
    /// </summary>
    private static void DeleteCredentialsAfterImport(DecisionDraft draft, string phase)
    {
        var (secret, observed) = (draft.Spec.CredentialsSecretRef.Name, draft.Observed.CredentialsSecret);
        if (phase != ImportJobPhase.Completed
            || draft.Spec.EffectiveCredentialsPolicy != CredentialsPolicies.DeleteAfterImport
            || !observed.Exists
            || draft.Condition(CredentialsDeleted)?.Status == ConditionStatus.True)
            return;
        if (observed.AlsoUsedBy.Count > 0)
        {
            var kept = ImportJobMessages.CredentialsKept(secret, observed.AlsoUsedBy);
            if (draft.SetCondition(CredentialsDeleted, ConditionStatus.False, Reasons.SecretStillInUse, kept))
                draft.Event(EventTypes.Normal, Reasons.SecretStillInUse, kept);
            return;
        }
        var deleted = $"Secret '{secret}' deleted after the import completed (credentialsPolicy DeleteAfterImport); no unfinished ImportJob uses it.";
        draft.Do(new ReconcileAction.DeleteCredentialsSecret(secret));
        draft.SetCondition(CredentialsDeleted, ConditionStatus.True, Reasons.DeleteAfterImport, deleted);
        draft.Event(EventTypes.Normal, "CredentialsDeleted", deleted);
    }
}
