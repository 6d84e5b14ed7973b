using CallImport.ImportJobs;
using static CallImport.Operator.Reconciliation.ImportJobConditions;

namespace CallImport.Operator.Reconciliation;

public static partial class ImportJobDecision
{
    /// <summary>
    /// What to report when carrying out a plan failed: the status as observed (the plan assumed success), with Ready
    /// False saying which action failed and why, and a Warning event. The reconcile is retried with backoff.
    /// </summary>
    public static ReconcilePlan ActionFailed(ObservedImportJob observed, ReconcileAction action, string reason)
    {
        var draft = new DecisionDraft(observed);
        var message = ImportJobMessages.ActionFailed(ActionFailedException.Describe(action), reason);
        draft.SetCondition(Ready, ConditionStatus.False, Reasons.ActionFailed, message);
        draft.Event(EventTypes.Warning, Reasons.ActionFailed, message);
        return draft.Report(message);
    }
}
