using CallImport.ImportJobs;
using CallImport.Operator.Reconciliation;
using static CallImport.Operator.Tests.Reconciliation.Scenario;

namespace CallImport.Operator.Tests.Reconciliation;

/// <summary>The decision's main cases in one table: what was observed → phase, actions, and when to look again.</summary>
public sealed class DecisionTableTests
{
    private sealed record Case(Func<ObservedImportJob> Observed, string Phase, string[] Steps, TimeSpan? RequeueAfter);

    private static readonly DateTimeOffset Started = InWindow.AddHours(-2);
    private static readonly TimeSpan Poll = Settings.ProgressPollInterval;

    private static readonly Dictionary<string, Case> Cases = new()
    {
        ["new job without finalizer, in window, caps free → finalizer and run 1"] = new(
            () => Observe(NewJob() with { Metadata = NewJob().Metadata with { Finalizers = null } }, InWindow),
            ImportJobPhase.Running, ["AddFinalizer", "CreateRunnerJob acme-grain-r1"], Poll),
        ["new job outside window → Waiting until it opens"] = new(
            () => Observe(NewJob(), OutsideWindow),
            ImportJobPhase.Waiting, [], NextOpening - OutsideWindow),
        ["new job, all run slots taken → Queued"] = new(
            () => Observe(NewJob(), InWindow, capacity: new RunCapacity(Settings.MaxConcurrentRuns, 0, 0)),
            ImportJobPhase.Queued, [], Settings.CapacityRecheckInterval),
        ["run active, heartbeat fresh → Running"] = new(
            () => Observe(WithRun(1, Started), InWindow, [ActiveJob(1, Started)], Progress(100, 40, heartbeat: InWindow.AddSeconds(-20))),
            ImportJobPhase.Running, [], Poll),
        ["run Complete, nothing pending, no failures → Completed, Secret deleted"] = new(
            () => Observe(WithRun(1, Started), InWindow, [CompleteJob(1, Started)], Progress(100, 90, skipped: 10)),
            ImportJobPhase.Completed, [$"DeleteCredentialsSecret {SecretName}"], null),
        ["run finished with failed calls → Partial"] = new(
            () => Observe(WithRun(1, Started), InWindow, [FailedJob(1, Started, "PodFailurePolicy", RunnerExitCodes.CallsFailed)], Progress(100, 95, failed: 5, retryable: 3)),
            ImportJobPhase.Partial, [], null),
        ["every call failed → Failed"] = new(
            () => Observe(WithRun(1, Started), InWindow, [FailedJob(1, Started, "PodFailurePolicy", RunnerExitCodes.CallsFailed)], Progress(20, 0, failed: 20)),
            ImportJobPhase.Failed, [], null),
        ["credentials rejected → Failed"] = new(
            () => Observe(WithRun(1, Started), InWindow, [FailedJob(1, Started, "PodFailurePolicy", RunnerExitCodes.CouldNotStart)], Progress(0, 0, listingComplete: false) with { CredentialsRejected = true }),
            ImportJobPhase.Failed, [], null),
        ["runner Job BackoffLimitExceeded with work left → run 2"] = new(
            () => Observe(WithRun(1, Started), InWindow, [FailedJob(1, Started)], Progress(100, 30)),
            ImportJobPhase.Running, ["CreateRunnerJob acme-grain-r2"], Poll),
        ["runner pod killed (exit 137) with work left → run 2"] = new(
            () => Observe(WithRun(1, Started), InWindow, [FailedJob(1, Started, exitCode: 137)], Progress(100, 30)),
            ImportJobPhase.Running, ["CreateRunnerJob acme-grain-r2"], Poll),
        ["third crash in a row → Failed, no new run"] = new(
            () => Observe(WithRun(3, Started, ImportJobPhase.Running, CrashedRun(1, Started.AddHours(-4)), CrashedRun(2, Started.AddHours(-3))), InWindow, [FailedJob(3, Started)], Progress(100, 30)),
            ImportJobPhase.Failed, [], null),
        ["window closed (exit 4) with work left → Waiting"] = new(
            () => Observe(WithRun(1, Started), OutsideWindow, [FailedJob(1, Started, "PodFailurePolicy", RunnerExitCodes.StoppedEarly)], Progress(100, 30)),
            ImportJobPhase.Waiting, [], NextOpening - OutsideWindow),
        ["Job Complete but work left (no exit code) → Waiting"] = new(
            () => Observe(WithRun(1, Started), OutsideWindow, [CompleteJob(1, Started, exitCode: null)], Progress(100, 30)),
            ImportJobPhase.Waiting, [], NextOpening - OutsideWindow),
        ["daily quota spent → Waiting"] = new(
            () => Observe(WithRun(1, Started), InWindow, [FailedJob(1, Started, "PodFailurePolicy", RunnerExitCodes.StoppedEarly)], Progress(100, 30) with { QuotaExhaustedUntil = NextOpening.AddHours(2) }),
            ImportJobPhase.Waiting, [], NextOpening.AddHours(2) - InWindow),
        ["Secret missing → Queued, no run, slow recheck"] = new(
            () => Observe(NewJob(), InWindow, secret: CredentialsSecretState.Missing),
            ImportJobPhase.Queued, [], Settings.StalledRecheckInterval),
        ["Secret without the platform's keys → Queued, no run"] = new(
            () => Observe(NewJob(), InWindow, secret: CredentialsSecretState.WithKeys("token")),
            ImportJobPhase.Queued, [], Settings.StalledRecheckInterval),
        ["unknown platform → Queued, no run"] = new(
            () => Observe(NewJob() with { Spec = NewJob().Spec with { Platform = "teams" } }, InWindow),
            ImportJobPhase.Queued, [], Settings.StalledRecheckInterval),
        ["cancel while running → run deleted, Cancelled"] = new(
            () => Observe(WithRun(1, Started) with { Spec = NewJob().Spec with { Cancel = true } }, InWindow, [ActiveJob(1, Started)], Progress(100, 30)),
            ImportJobPhase.Cancelled, ["DeleteRunnerJob acme-grain-r1"], Settings.DeletionRecheckInterval),
        ["retry annotation, new value, on Partial → reset and run 2"] = new(
            () => Observe(Ended(ImportJobPhase.Partial) with { Metadata = NewJob().Metadata with { Annotations = Retry("2026-01-15T02:59:00Z") } }, InWindow, [CompleteJob(1, Started, RunnerExitCodes.CallsFailed)], Progress(100, 95, failed: 5, retryable: 3)),
            ImportJobPhase.Running, ["ResetRetryableFailures 2026-01-15T02:59:00Z", "CreateRunnerJob acme-grain-r2"], Poll),
        ["deleted with a runner Job → Job deleted, finalizer kept"] = new(
            () => Observe(WithRun(1, Started) with { Metadata = NewJob().Metadata with { DeletionTimestamp = InWindow } }, InWindow, [ActiveJob(1, Started)], Progress(100, 30)),
            ImportJobPhase.Running, ["DeleteRunnerJob acme-grain-r1"], Settings.DeletionRecheckInterval),
        ["deleted, no runner Job left → finalizer removed"] = new(
            () => Observe(WithRun(1, Started) with { Metadata = NewJob().Metadata with { DeletionTimestamp = InWindow } }, InWindow, [], Progress(100, 30)),
            ImportJobPhase.Running, ["RemoveFinalizer"], null),
    };

    public static TheoryData<string> CaseNames => [.. Cases.Keys];

    public static IReadOnlyDictionary<string, string> Retry(string value) =>
        new Dictionary<string, string> { [ImportJobResource.RetryAnnotation] = value };

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Decide_ObservedState_GivesPhaseActionsAndRequeue(string name)
    {
        var @case = Cases[name];

        var plan = ImportJobDecision.Decide(@case.Observed());

        Assert.Equal(@case.Phase, plan.NewStatus.Phase);
        Assert.Equal(@case.Steps, Steps(plan));
        Assert.Equal(@case.RequeueAfter, plan.RequeueAfter);
    }
}
