using CallImport.ImportJobs;
using CallImport.Operator.Scheduling;
using static CallImport.Operator.Reconciliation.ImportJobConditions;

namespace CallImport.Operator.Reconciliation;

public static partial class ImportJobDecision
{
    /// <summary>A run is going: report its progress, and whether its runner still reports.</summary>
    private static ReconcilePlan Running(DecisionDraft draft, RunRecord run)
    {
        var heartbeat = Latest(draft.Progress?.LastHeartbeat, run.StartedAt);
        var silent = heartbeat is not null && draft.Now - heartbeat > draft.Settings.HeartbeatTimeout;
        if (silent)
        {
            var message = $"The runner of run {run.Number} has not reported since {ImportJobMessages.Utc(heartbeat!.Value)}; check kubectl logs job/{run.JobName}.";
            if (draft.SetCondition(Progressing, ConditionStatus.False, Reasons.HeartbeatStale, message))
                draft.Event(EventTypes.Warning, Reasons.HeartbeatStale, message);
        }
        else
        {
            draft.SetCondition(Progressing, ConditionStatus.True, Reasons.HeartbeatFresh, "The runner reports progress.");
        }

        draft.RemoveCondition(Stalled);
        draft.SetCondition(Scheduled, ConditionStatus.True, Reasons.RunStarted, $"Run {run.Number} (job {run.JobName}) is running.");
        var window = ScheduleWindowTimes.Resolve(draft.Spec.Schedule?.Window, draft.Settings, out _);
        draft.Status = draft.Status with
        {
            ActiveRun = run.JobName,
            StartedAt = draft.Status.StartedAt ?? run.StartedAt,
            CompletedAt = null,
            EstimatedCompletionTime = window is null ? null : CompletionEstimate.Estimate(draft.Progress, draft.Runs, window, draft.Now),
        };
        return draft.Finish(ImportJobPhase.Running, ImportJobMessages.Running(run, draft.Progress), draft.Settings.ProgressPollInterval);
    }
}
