using System.Globalization;
using CallImport.ImportJobs;
using CallImport.Operator.Reconciliation;

namespace CallImport.Operator.Tests.Reconciliation;

/// <summary>Builds observed states for the decision tests: one ImportJob with a New York night window.</summary>
internal static class Scenario
{
    public const string Name = "acme-grain";
    public const string Namespace = "imports";
    public const string SecretName = "grain-credentials";

    /// <summary>22:00 in New York: inside the 20:00-08:00 window, which closes at 13:00Z.</summary>
    public static readonly DateTimeOffset InWindow = Utc("2026-01-15T03:00:00Z");
    public static readonly DateTimeOffset WindowEnd = Utc("2026-01-15T13:00:00Z");

    /// <summary>10:00 in New York: outside; the window opens at 20:00 EST = 01:00Z the next day.</summary>
    public static readonly DateTimeOffset OutsideWindow = Utc("2026-01-15T15:00:00Z");
    public static readonly DateTimeOffset NextOpening = Utc("2026-01-16T01:00:00Z");

    public static readonly OperatorSettings Settings = new();

    public static DateTimeOffset Utc(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    public static ImportJob NewJob() => new()
    {
        Metadata = new ObjectMeta
        {
            Name = Name,
            Namespace = Namespace,
            Uid = "0b7a6f1e-uid",
            Generation = 1,
            CreationTimestamp = InWindow.AddMinutes(-5),
            Finalizers = [ImportJobConditions.Finalizer],
        },
        Spec = new ImportJobSpec
        {
            CustomerId = "acme",
            Platform = ImportPlatforms.Grain,
            CredentialsSecretRef = new SecretReference { Name = SecretName },
            Schedule = new ImportSchedule { Window = new ScheduleWindow { Start = "20:00", End = "08:00", TimeZone = "America/New_York" } },
        },
    };

    /// <summary>An ImportJob whose status says run <paramref name="number"/> was started at <paramref name="startedAt"/>.</summary>
    public static ImportJob WithRun(int number, DateTimeOffset startedAt, string phase = ImportJobPhase.Running, params RunRecord[] earlier) => NewJob() with
    {
        Status = new ImportJobStatus
        {
            Phase = phase,
            ActiveRun = JobName(number),
            StartedAt = earlier.FirstOrDefault()?.StartedAt ?? startedAt,
            ObservedGeneration = 1,
            Runs = [.. earlier, new RunRecord { Number = number, JobName = JobName(number), StartedAt = startedAt }],
        },
    };

    public static ImportJob Ended(string phase, params ImportJobCondition[] conditions) => NewJob() with
    {
        Status = new ImportJobStatus
        {
            Phase = phase,
            StartedAt = InWindow.AddHours(-3),
            CompletedAt = InWindow.AddHours(-1),
            ObservedGeneration = 1,
            Runs = [new RunRecord { Number = 1, JobName = JobName(1), StartedAt = InWindow.AddHours(-3), FinishedAt = InWindow.AddHours(-1), Outcome = RunOutcomes.FinishedWithFailures }],
            Conditions = conditions,
        },
    };

    public static RunRecord CrashedRun(int number, DateTimeOffset startedAt) =>
        new() { Number = number, JobName = JobName(number), StartedAt = startedAt, FinishedAt = startedAt.AddMinutes(10), Outcome = RunOutcomes.Crashed };

    public static RunRecord StoppedRun(int number, DateTimeOffset startedAt) =>
        new() { Number = number, JobName = JobName(number), StartedAt = startedAt, FinishedAt = startedAt.AddHours(1), Outcome = RunOutcomes.StoppedEarly };

    public static string JobName(int number) => $"{Name}-r{number}";

    public static RunnerJobState ActiveJob(int number, DateTimeOffset started) =>
        new() { Name = JobName(number), RunNumber = number, ActivePods = 1, StartTime = started };

    public static RunnerJobState CompleteJob(int number, DateTimeOffset started, int? exitCode = 0) =>
        new() { Name = JobName(number), RunNumber = number, SucceededPods = 1, IsComplete = true, StartTime = started, CompletionTime = started.AddHours(1), LastExitCode = exitCode };

    public static RunnerJobState FailedJob(int number, DateTimeOffset started, string reason = "BackoffLimitExceeded", int? exitCode = null) =>
        new() { Name = JobName(number), RunNumber = number, FailedPods = 3, IsFailed = true, FailedReason = reason, StartTime = started, CompletionTime = started.AddHours(1), LastExitCode = exitCode };

    public static ImportProgress Progress(int total, int processed, int failed = 0, int retryable = 0, int skipped = 0, bool listingComplete = true, DateTimeOffset? heartbeat = null) => new()
    {
        ListingComplete = listingComplete,
        TotalListed = total,
        Processed = processed,
        Failed = failed,
        FailedRetryable = retryable,
        Skipped = skipped,
        Pending = total - processed - failed - skipped,
        MetadataQuality = new MetadataQualityCounts { Full = processed, Partial = 0, Minimal = 0 },
        RecentErrors = [.. Enumerable.Range(1, failed).Select(i => new CallError { CallId = $"call-{i}", Error = "HTTP 503", Retryable = i <= retryable, Timestamp = InWindow.AddMinutes(-i) })],
        LastHeartbeat = heartbeat,
    };

    public static ObservedImportJob Observe(
        ImportJob job,
        DateTimeOffset now,
        IReadOnlyList<RunnerJobState>? runnerJobs = null,
        ImportProgress? progress = null,
        CredentialsSecretState? secret = null,
        RunCapacity? capacity = null,
        OperatorSettings? settings = null) =>
        new(job, runnerJobs ?? [], secret ?? CredentialsSecretState.WithKeys("apiKey"), progress, capacity ?? RunCapacity.Idle, settings ?? Settings, now);

    /// <summary>The plan's actions other than events, one line each, for comparing with a table.</summary>
    public static string[] Steps(ReconcilePlan plan) => [.. plan.Actions.Where(a => a is not ReconcileAction.EmitEvent).Select(Describe)];

    public static string[] EventReasons(ReconcilePlan plan) => [.. plan.Events.Select(e => $"{e.Type} {e.Reason}")];

    public static ImportJobCondition? Condition(ReconcilePlan plan, string type) => plan.NewStatus.Conditions?.FirstOrDefault(c => c.Type == type);

    private static string Describe(ReconcileAction action) => action switch
    {
        ReconcileAction.CreateRunnerJob c => $"CreateRunnerJob {c.JobName}",
        ReconcileAction.DeleteRunnerJob d => $"DeleteRunnerJob {d.JobName}",
        ReconcileAction.ResetRetryableFailures r => $"ResetRetryableFailures {r.RetryValue}",
        ReconcileAction.DeleteCredentialsSecret s => $"DeleteCredentialsSecret {s.SecretName}",
        ReconcileAction.AddFinalizer => "AddFinalizer",
        ReconcileAction.RemoveFinalizer => "RemoveFinalizer",
        _ => action.ToString(),
    };
}
