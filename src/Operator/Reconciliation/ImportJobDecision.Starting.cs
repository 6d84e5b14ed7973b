using CallImport.ImportJobs;
using CallImport.Operator.Scheduling;
using static CallImport.Operator.Reconciliation.ImportJobConditions;

namespace CallImport.Operator.Reconciliation;

public static partial class ImportJobDecision
{
    /// <summary>Work remains and no run is going: start one if the spec, the window, the quota and the caps allow.</summary>
    private static ReconcilePlan StartOrWait(DecisionDraft draft)
    {
        var platform = draft.Spec.Platform;
        if (!ImportPlatforms.IsKnown(platform))
            return Stall(draft, Reasons.UnknownPlatform, ImportJobMessages.UnknownPlatform(platform));
        var window = ScheduleWindowTimes.Resolve(draft.Spec.Schedule?.Window, draft.Settings, out var scheduleProblem);
        if (window is null)
            return Stall(draft, Reasons.InvalidSchedule, $"{scheduleProblem} Fix spec.schedule.window.");
        if (SecretProblem(draft) is { } secretProblem)
            return Stall(draft, secretProblem.Reason, secretProblem.Message);

        draft.RemoveCondition(Stalled);
        draft.Status = draft.Status with { EstimatedCompletionTime = CompletionEstimate.Estimate(draft.Progress, draft.Runs, window, draft.Now) };
        if (draft.Progress?.QuotaExhaustedUntil is { } until && until > draft.Now)
        {
            var next = window.FirstOpenAtOrAfter(until);
            return Wait(draft, next, "QuotaExhausted", ImportJobMessages.QuotaSpent(platform, until, window, next));
        }
        var state = window.Evaluate(draft.Now);
        if (!state.IsOpen)
            return Wait(draft, state.NextWindowStart!.Value, "OutsideWindow", ImportJobMessages.OutsideWindow(window, state.NextWindowStart.Value));
        if (CapHolding(draft) is { } cap)
        {
            draft.SetCondition(Scheduled, ConditionStatus.False, cap.Reason, cap.Message);
            return draft.Finish(ImportJobPhase.Queued, cap.Message, draft.Settings.CapacityRecheckInterval);
        }
        return StartRun(draft, state.CurrentWindowEnd);
    }

    private static ReconcilePlan StartRun(DecisionDraft draft, DateTimeOffset? stopAt)
    {
        var number = RunHistory.NextRunNumber(draft);
        var run = new RunRecord { Number = number, JobName = RunnerJobName.For(draft.Name, number), StartedAt = draft.Now };
        draft.Do(new ReconcileAction.CreateRunnerJob(number, run.JobName, stopAt));
        draft.UpsertRun(run);
        var until = stopAt is { } stop ? $", taking calls until {ImportJobMessages.Utc(stop)}" : "";
        draft.Event(EventTypes.Normal, "RunStarted", $"Started run {number} (job {run.JobName}){until}.");
        draft.SetCondition(Scheduled, ConditionStatus.True, Reasons.RunStarted, $"Run {number} (job {run.JobName}) is running.");
        draft.SetCondition(Progressing, ConditionStatus.True, Reasons.HeartbeatFresh, "The runner is starting.");
        draft.Status = draft.Status with { ActiveRun = run.JobName, StartedAt = draft.Status.StartedAt ?? draft.Now, CompletedAt = null };
        return draft.Finish(ImportJobPhase.Running, ImportJobMessages.Running(run, null), draft.Settings.ProgressPollInterval);
    }

    private static ReconcilePlan Wait(DecisionDraft draft, DateTimeOffset next, string reason, string message)
    {
        draft.RemoveCondition(Progressing);
        draft.SetCondition(Scheduled, ConditionStatus.False, reason, message);
        draft.Status = draft.Status with { NextWindowStart = next };
        var requeue = next - draft.Now;
        return draft.Finish(ImportJobPhase.Waiting, message, requeue > TimeSpan.Zero ? requeue : TimeSpan.FromSeconds(1));
    }

    /// <summary>Only a person can move the import on: say what to do, and look again only after a long while.</summary>
    private static ReconcilePlan Stall(DecisionDraft draft, string reason, string message)
    {
        if (draft.SetCondition(Stalled, ConditionStatus.True, reason, message))
            draft.Event(EventTypes.Warning, reason, message);
        draft.RemoveCondition(Progressing);
        return draft.Finish(ImportJobPhase.Queued, message, draft.Settings.StalledRecheckInterval);
    }

    private static (string Reason, string Message)? SecretProblem(DecisionDraft draft)
    {
        var secret = draft.Observed.CredentialsSecret;
        var name = draft.Spec.CredentialsSecretRef.Name;
        if (!secret.Exists)
            return (Reasons.SecretNotFound, ImportJobMessages.SecretNotFound(name, draft.Namespace, draft.Spec.Platform));
        var missing = ImportPlatforms.MissingSecretKeys(draft.Spec.Platform, secret.Keys);
        return missing.Count == 0
            ? null
            : (Reasons.SecretKeysMissing, ImportJobMessages.SecretKeysMissing(name, draft.Namespace, draft.Spec.Platform, missing, secret.Keys));
    }

    private static (string Reason, string Message)? CapHolding(DecisionDraft draft)
    {
        var (capacity, settings, spec) = (draft.Observed.Capacity, draft.Settings, draft.Spec);
        if (capacity.RunningAll >= settings.MaxConcurrentRuns)
            return (Reasons.ConcurrencyLimit, $"{capacity.RunningAll} runs are going, the most allowed in all (MaxConcurrentRuns {settings.MaxConcurrentRuns}); this import starts when one ends.");
        if (capacity.RunningForCustomer >= settings.MaxConcurrentRunsPerCustomer)
            return (Reasons.CustomerLimit, $"{capacity.RunningForCustomer} runs are going for customer '{spec.CustomerId}', the most allowed (MaxConcurrentRunsPerCustomer {settings.MaxConcurrentRunsPerCustomer}); this import starts when one ends.");
        if (capacity.RunningForPlatform >= settings.MaxConcurrentRunsPerPlatform)
            return (Reasons.PlatformLimit, $"{capacity.RunningForPlatform} runs are going against platform '{spec.Platform}', the most allowed (MaxConcurrentRunsPerPlatform {settings.MaxConcurrentRunsPerPlatform}); this import starts when one ends.");
        return null;
    }
}
