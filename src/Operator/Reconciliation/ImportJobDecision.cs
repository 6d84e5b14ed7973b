using CallImport.ImportJobs;
using CallImport.Operator.Scheduling;
using static CallImport.Operator.Reconciliation.ImportJobConditions;

namespace CallImport.Operator.Reconciliation;

/// <summary>
/// What to do next for one ImportJob: a pure function of what was observed and the time it was observed at
/// (no client, no database, no clock). The reconciler gathers <see cref="ObservedImportJob"/>, calls
/// <see cref="Decide"/>, carries out the actions in order, then writes the status once.
/// </summary>
public static class ImportJobDecision
{
    public static ReconcilePlan Decide(ObservedImportJob observed)
    {
        var draft = new DecisionDraft(observed);
        if (observed.ImportJob.Metadata.DeletionTimestamp is not null)
            return Deletion(draft);
        EnsureFinalizer(draft);

        var activeRun = RunHistory.Record(draft);
        draft.RecordProgress();
        if (draft.Spec.IsCancelled || draft.Previous.Phase == ImportJobPhase.Cancelled)
            return Cancel(draft);
        if (activeRun is not null)
            return Running(draft, activeRun);

        var retried = HandleRetry(draft);
        if (!retried && ImportJobPhase.IsEnded(draft.Previous.Phase))
            return End(draft, draft.Previous.Phase!, draft.Condition(Ready)?.Message ?? draft.Previous.Phase!);
        if (draft.Progress?.CredentialsRejected == true)
            return CredentialsRejected(draft);
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
        var missing = ImportPlatforms.RequiredSecretKeys(draft.Spec.Platform).Where(k => !secret.Keys.Contains(k)).ToList();
        return missing.Count == 0
            ? null
            : (Reasons.SecretKeysMissing, ImportJobMessages.SecretKeysMissing(name, draft.Namespace, draft.Spec.Platform, missing));
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

    private static DateTimeOffset? Latest(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a > b ? a : b;
}
