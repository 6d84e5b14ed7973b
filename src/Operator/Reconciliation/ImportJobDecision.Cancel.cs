using CallImport.ImportJobs;
using static CallImport.Operator.Reconciliation.ImportJobConditions;

namespace CallImport.Operator.Reconciliation;

public static partial class ImportJobDecision
{
    /// <summary>spec.cancel: stop the runs for good; the record stays.</summary>
    private static ReconcilePlan Cancel(DecisionDraft draft)
    {
        var stillActive = draft.Observed.RunnerJobs.Where(j => !j.IsFinished).Select(j => j.Name).ToHashSet();
        foreach (var run in draft.Runs.Where(r => r.FinishedAt is null).ToList())
        {
            stillActive.Add(run.JobName);
            draft.UpsertRun(run with { FinishedAt = draft.Now, Outcome = RunOutcomes.Stopped });
        }
        foreach (var name in stillActive.Order(StringComparer.Ordinal))
            draft.Do(new ReconcileAction.DeleteRunnerJob(name));

        draft.RemoveCondition(Progressing);
        draft.Status = draft.Status with { CompletedAt = draft.Status.CompletedAt ?? draft.Now, EstimatedCompletionTime = null };
        var requeue = draft.Observed.RunnerJobs.Any(j => !j.IsFinished) ? draft.Settings.DeletionRecheckInterval : (TimeSpan?)null;
        return draft.Finish(ImportJobPhase.Cancelled, ImportJobMessages.Cancelled, requeue);
    }
}
