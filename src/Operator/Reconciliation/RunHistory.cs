using CallImport.ImportJobs;

namespace CallImport.Operator.Reconciliation;

/// <summary>Keeps <c>status.runs</c> in step with the runner Jobs observed, and reads run outcomes.</summary>
internal static class RunHistory
{
    /// <summary>Records observed Jobs in the run list, finishes runs whose Job ended or vanished; returns the run still going.</summary>
    public static RunRecord? Record(DecisionDraft draft)
    {
        var oldestListed = draft.Runs.Count > 0 ? draft.Runs[0].Number : 0;
        foreach (var job in draft.Observed.RunnerJobs.OrderBy(j => j.RunNumber))
        {
            // A finished Job older than every listed run was recorded long ago and dropped from status.runs.
            if (job.IsFinished && job.RunNumber < oldestListed)
                continue;
            var run = draft.Runs.FirstOrDefault(r => r.Number == job.RunNumber) ?? new RunRecord { Number = job.RunNumber, JobName = job.Name };
            run = run with { JobName = job.Name, StartedAt = job.StartTime ?? run.StartedAt ?? draft.Now };
            if (run.FinishedAt is null && job.IsFinished)
            {
                run = run with { FinishedAt = job.CompletionTime ?? draft.Now, Outcome = Outcome(job, draft.Progress) };
                Announce(draft, run, job);
            }
            draft.UpsertRun(run);
        }

        foreach (var run in draft.Runs.Where(r => r.FinishedAt is null).ToList())
        {
            var seen = draft.Observed.RunnerJobs.Any(j => j.Name == run.JobName);
            // A Job created moments ago may not be in the reconciler's view yet; one gone for longer was deleted.
            if (seen || run.StartedAt + draft.Settings.RunnerJobAppearTimeout > draft.Now)
                continue;
            draft.UpsertRun(run with { FinishedAt = draft.Now, Outcome = RunOutcomes.Crashed });
            draft.Event(EventTypes.Warning, "RunLost",
                $"Runner Job '{run.JobName}' of run {run.Number} is gone before finishing; counting the run as crashed.");
        }

        return draft.Runs.LastOrDefault(r => r.FinishedAt is null);
    }

    /// <summary>
    /// Deletes finished runner Jobs beyond the latest <see cref="OperatorSettings.FinishedRunnerJobsKept"/>, once their
    /// run's end is already in the observed status (so nothing is lost if this reconcile's status write fails).
    /// </summary>
    public static void PruneFinishedJobs(DecisionDraft draft)
    {
        var recorded = (draft.Previous.Runs ?? []).Where(r => r.FinishedAt is not null).Select(r => r.Number).ToHashSet();
        var oldestListed = draft.Previous.Runs is { Count: > 0 } runs ? runs.Min(r => r.Number) : int.MaxValue;
        var finished = draft.Observed.RunnerJobs.Where(j => j.IsFinished).OrderByDescending(j => j.RunNumber).ToList();
        foreach (var job in finished.Skip(draft.Settings.FinishedRunnerJobsKept))
            if (recorded.Contains(job.RunNumber) || job.RunNumber < oldestListed)
                draft.Do(new ReconcileAction.DeleteRunnerJob(job.Name));
    }

    /// <summary>The outcome of a finished run: the runner's exit code, else the Job's conditions and the store's progress.</summary>
    public static string Outcome(RunnerJobState job, ImportProgress? progress)
    {
        var workLeft = progress?.HasWorkLeft == true;
        return job.LastExitCode switch
        {
            RunnerExitCodes.CouldNotStart => RunOutcomes.CouldNotStart,
            RunnerExitCodes.StoppedEarly => RunOutcomes.StoppedEarly,
            RunnerExitCodes.CallsFailed => workLeft ? RunOutcomes.StoppedEarly : RunOutcomes.FinishedWithFailures,
            RunnerExitCodes.Success => workLeft ? RunOutcomes.StoppedEarly : RunOutcomes.Finished,
            null when job.IsComplete => workLeft ? RunOutcomes.StoppedEarly : RunOutcomes.Finished,
            _ => RunOutcomes.Crashed,
        };
    }

    /// <summary>Runs that crashed or could not start, counted back from the latest, stopping at a handled retry.</summary>
    public static int CrashedInARow(IReadOnlyList<RunRecord> runs)
    {
        var count = 0;
        for (var i = runs.Count - 1; i >= 0 && runs[i].RetryAfter is null; i--)
        {
            if (runs[i].Outcome is RunOutcomes.Crashed or RunOutcomes.CouldNotStart)
                count++;
            else if (runs[i].Outcome is not null)
                break;
        }
        return count;
    }

    public static int NextRunNumber(DecisionDraft draft) =>
        draft.Runs.Select(r => r.Number).Concat(draft.Observed.RunnerJobs.Select(j => j.RunNumber)).DefaultIfEmpty(0).Max() + 1;

    private static void Announce(DecisionDraft draft, RunRecord run, RunnerJobState job)
    {
        var what = $"Run {run.Number} (job {run.JobName})";
        var cause = job.LastExitCode is { } code ? $"exit code {code}" : job.FailedReason ?? "no exit code";
        switch (run.Outcome)
        {
            case RunOutcomes.Finished:
                draft.Event(EventTypes.Normal, "RunFinished", $"{what} finished: every listed call is imported or skipped.");
                break;
            case RunOutcomes.FinishedWithFailures:
                draft.Event(EventTypes.Normal, "RunFinished", $"{what} went through every call; some failed.");
                break;
            case RunOutcomes.StoppedEarly:
                draft.Event(EventTypes.Normal, "RunStoppedEarly", $"{what} stopped with work left (window closed or daily quota spent); a later run resumes.");
                break;
            case RunOutcomes.CouldNotStart:
                draft.Event(EventTypes.Warning, "RunCouldNotStart", $"{what} could not start ({cause}); see kubectl logs job/{run.JobName}.");
                break;
            default:
                draft.Event(EventTypes.Warning, "RunCrashed", $"{what} ended without finishing ({cause}); a new run resumes where it stopped.");
                break;
        }
    }
}
