using CallImport.ImportJobs;

namespace CallImport.Operator.Reconciliation;

/// <summary>
/// The plan being built during one decision: the new status (starting from the observed one), the actions
/// in order, and the conditions, whose lastTransitionTime moves only when their status does.
/// </summary>
internal sealed class DecisionDraft
{
    private readonly List<ReconcileAction> _actions = [];
    private readonly List<ImportJobCondition> _conditions;
    private readonly List<RunRecord> _runs;

    public DecisionDraft(ObservedImportJob observed)
    {
        Observed = observed;
        Previous = observed.ImportJob.Status ?? new ImportJobStatus();
        Status = Previous with { ObservedGeneration = observed.ImportJob.Metadata.Generation ?? Previous.ObservedGeneration };
        _conditions = [.. Previous.Conditions ?? []];
        _runs = [.. (Previous.Runs ?? []).OrderBy(r => r.Number)];
        Progress = observed.Progress;
    }

    public ObservedImportJob Observed { get; }
    public ImportJob ImportJob => Observed.ImportJob;
    public ImportJobSpec Spec => Observed.ImportJob.Spec;
    public string Name => Observed.ImportJob.Metadata.Name ?? "";
    public string Namespace => Observed.ImportJob.Metadata.Namespace ?? "default";
    public OperatorSettings Settings => Observed.Settings;
    public DateTimeOffset Now => Observed.Now;

    /// <summary>The status as observed, before this decision.</summary>
    public ImportJobStatus Previous { get; }

    public ImportJobStatus Status { get; set; }

    /// <summary>The store's progress as this decision sees it (a retry moves failed calls back to pending).</summary>
    public ImportProgress? Progress { get; set; }

    public IReadOnlyList<RunRecord> Runs => _runs;

    public void Do(ReconcileAction action) => _actions.Add(action);

    public void Event(string type, string reason, string message) => Do(new ReconcileAction.EmitEvent(type, reason, message));

    public ImportJobCondition? Condition(string type) => _conditions.Find(c => c.Type == type);

    /// <summary>Sets a condition; true when its status or reason changed (worth an event).</summary>
    public bool SetCondition(string type, string status, string reason, string message)
    {
        var existing = Condition(type);
        var keepTransition = existing is not null && existing.Status == status && existing.LastTransitionTime is not null;
        var condition = new ImportJobCondition
        {
            Type = type,
            Status = status,
            Reason = reason,
            Message = message,
            LastTransitionTime = keepTransition ? existing!.LastTransitionTime : Now,
            ObservedGeneration = ImportJob.Metadata.Generation,
        };
        if (existing is null)
            _conditions.Add(condition);
        else
            _conditions[_conditions.IndexOf(existing)] = condition;
        return existing is null || existing.Status != status || existing.Reason != reason;
    }

    public void RemoveCondition(string type) => _conditions.RemoveAll(c => c.Type == type);

    /// <summary>Adds or replaces the run with the same number, keeping runs in order.</summary>
    public void UpsertRun(RunRecord run)
    {
        var index = _runs.FindIndex(r => r.Number == run.Number);
        if (index >= 0)
            _runs[index] = run;
        else
            _runs.Insert(_runs.FindLastIndex(r => r.Number < run.Number) + 1, run);
    }

    /// <summary>Copies the store's counts into the status.</summary>
    public void RecordProgress()
    {
        if (Progress is not { } p)
            return;
        Status = Status with
        {
            TotalCalls = p.TotalListed,
            ProcessedCalls = p.Processed,
            FailedCalls = p.Failed,
            SkippedCalls = p.Skipped,
            EstimatedCalls = p.ListingComplete ? p.TotalListed : null,
            MetadataQuality = p.MetadataQuality,
            RecentErrors = p.RecentErrors.Count == 0 ? null : [.. p.RecentErrors.Take(ImportJobStatus.MaxRecentErrors)],
            LastProgressAt = p.LastHeartbeat ?? Status.LastProgressAt,
        };
    }

    /// <summary>Ends the decision in <paramref name="phase"/>: Ready follows the phase, a phase change is an event.</summary>
    public ReconcilePlan Finish(string phase, string message, TimeSpan? requeueAfter)
    {
        if (phase == ImportJobPhase.Completed)
            SetCondition(ImportJobConditions.Ready, ConditionStatus.True, phase, message);
        else
            SetCondition(ImportJobConditions.Ready, ConditionStatus.False, phase, message);
        if (Previous.Phase != phase)
            Event(phase is ImportJobPhase.Failed or ImportJobPhase.Partial ? EventTypes.Warning : EventTypes.Normal, phase, message);
        // "Run n is running" stays true only while it is; whoever holds the import back set their own reason already.
        if (phase != ImportJobPhase.Running && Condition(ImportJobConditions.Scheduled) is { Status: ConditionStatus.True })
            SetCondition(ImportJobConditions.Scheduled, ConditionStatus.False, phase, $"No run is going: the import is {phase}.");

        var kept = _runs.Skip(Math.Max(0, _runs.Count - Settings.MaxRunsInStatus)).ToList();
        Status = Status with
        {
            Phase = phase,
            Message = message,
            ActiveRun = phase == ImportJobPhase.Running ? Status.ActiveRun : null,
            LastRun = _runs.Count > 0 ? _runs[^1].JobName : Status.LastRun,
            NextWindowStart = phase == ImportJobPhase.Waiting ? Status.NextWindowStart : null,
            Runs = kept.Count == 0 ? null : kept,
            RunsStarted = _runs.Count == 0 ? Status.RunsStarted : Math.Max(Status.RunsStarted ?? 0, _runs[^1].Number),
            Conditions = [.. _conditions],
        };
        return new ReconcilePlan([.. _actions], Status, requeueAfter);
    }

    /// <summary>Ends the decision without a new phase: only the message and the conditions change.</summary>
    public ReconcilePlan Report(string message)
    {
        Status = Status with { Message = message, Conditions = [.. _conditions] };
        return new ReconcilePlan([.. _actions], Status, null);
    }

    /// <summary>A plan that changes nothing in the status (the object is going away).</summary>
    public ReconcilePlan FinishWithoutStatus(TimeSpan? requeueAfter) => new([.. _actions], Previous, requeueAfter);
}
