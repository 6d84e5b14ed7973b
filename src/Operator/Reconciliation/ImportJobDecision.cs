using CallImport.ImportJobs;
using static CallImport.Operator.Reconciliation.ImportJobConditions;

namespace CallImport.Operator.Reconciliation;

/// <summary>
/// What to do next for one ImportJob: a pure function of what was observed and the time it was observed at
/// (no client, no database, no clock). The reconciler gathers <see cref="ObservedImportJob"/>, calls
/// <see cref="Decide"/>, carries out the actions in order, then writes the status once.
/// </summary>
public static partial class ImportJobDecision
{
    public static ReconcilePlan Decide(ObservedImportJob observed)
    {
        var draft = new DecisionDraft(observed);
        if (observed.ImportJob.Metadata.DeletionTimestamp is not null)
            return Deletion(draft);
        EnsureFinalizer(draft);

        var activeRun = RunHistory.Record(draft);
        RunHistory.PruneFinishedJobs(draft);
        draft.RecordProgress();
        if (draft.Spec.IsCancelled || draft.Previous.Phase == ImportJobPhase.Cancelled)
            return Cancel(draft);
        if (activeRun is not null)
            return Running(draft, activeRun);

        var retried = HandleRetry(draft) || RetryWithReplacedSecret(draft);
        if (!retried && ImportJobPhase.IsEnded(draft.Previous.Phase))
            return End(draft, draft.Previous.Phase!, draft.Condition(Ready)?.Message ?? draft.Previous.Phase!);
        if (draft.Progress?.CredentialsRejected == true)
            return CredentialsRejected(draft);
        if (draft.Progress?.SettingsRejected is { } settingsProblem)
            return SettingsRejected(draft, settingsProblem);
        if (draft.Progress is { HasWorkLeft: false } done && draft.Runs.Count > 0)
            return EndByCounts(draft, done);
        if (RunHistory.CrashedInARow(draft.Runs) is var crashes && crashes >= draft.Settings.MaxCrashedRuns)
            return End(draft, ImportJobPhase.Failed, ImportJobMessages.RunnerKeptFailing(draft.Name, crashes, draft.Runs[^1]));
        return StartOrWait(draft);
    }

    /// <summary>Deleted: stop and remove every runner Job, then let the object go.</summary>
    private static ReconcilePlan Deletion(DecisionDraft draft)
    {
        foreach (var job in draft.Observed.RunnerJobs)
            draft.Do(new ReconcileAction.DeleteRunnerJob(job.Name));
        if (draft.Observed.RunnerJobs.Count > 0)
            return draft.FinishWithoutStatus(draft.Settings.DeletionRecheckInterval);
        if (HasFinalizer(draft))
            draft.Do(new ReconcileAction.RemoveFinalizer(Finalizer));
        return draft.FinishWithoutStatus(null);
    }

    private static void EnsureFinalizer(DecisionDraft draft)
    {
        if (!HasFinalizer(draft))
            draft.Do(new ReconcileAction.AddFinalizer(Finalizer));
    }

    private static bool HasFinalizer(DecisionDraft draft) => draft.ImportJob.Metadata.Finalizers?.Contains(Finalizer) == true;

    private static DateTimeOffset? Latest(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a > b ? a : b;
}
