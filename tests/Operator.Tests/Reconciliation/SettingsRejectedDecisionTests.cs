using CallImport.ImportJobs;
using CallImport.Operator.Reconciliation;
using static CallImport.Operator.Tests.Reconciliation.Scenario;

namespace CallImport.Operator.Tests.Reconciliation;

/// <summary>Settings the runner refuses (filters, a platform it does not carry, a Secret value) and a Secret replaced after a refusal.</summary>
public sealed class SettingsRejectedDecisionTests
{
    private static readonly DateTimeOffset Started = InWindow.AddMinutes(-5);
    private const string Problem = "Unknown Grain filter 'teem'. Supported filters: participant_scope, title_search, team, meeting_type.";

    private static ReconcilePlan RefusedRun(CredentialsSecretState? secret = null) => ImportJobDecision.Decide(Observe(
        WithRun(1, Started), InWindow, [FailedJob(1, Started, "PodFailurePolicy", RunnerExitCodes.CouldNotStart)],
        Progress(0, 0, listingComplete: false) with { SettingsRejected = Problem }, secret ?? CredentialsSecretState.WithKeys("apiKey") with { Version = "41" }));

    [Fact]
    public void Decide_RunnerRefusedSettings_FailedAndStalledAtOnceWithTheRunnersMessage()
    {
        var plan = RefusedRun();

        Assert.Equal(ImportJobPhase.Failed, plan.NewStatus.Phase);
        var stalled = Condition(plan, ImportJobConditions.Stalled);
        Assert.Equal((ConditionStatus.True, ImportJobConditions.Reasons.SettingsRejected), (stalled?.Status, stalled?.Reason));
        Assert.Contains("Unknown Grain filter 'teem'", stalled?.Message, StringComparison.Ordinal);
        Assert.Contains("create a new ImportJob", stalled?.Message, StringComparison.Ordinal);
        Assert.Equal(stalled?.Message, plan.NewStatus.Message);
        Assert.Empty(Steps(plan));
        Assert.Null(plan.RequeueAfter);
        Assert.Contains("Warning SettingsRejected", EventReasons(plan));
        Assert.Equal("41", plan.NewStatus.RefusedSecretVersion);
    }

    [Fact]
    public void Decide_SettingsRefusedAfterOneRun_NotCountedAsCrashesNorRunAgain()
    {
        var refused = RefusedRun();

        var later = ImportJobDecision.Decide(Observe(WithRun(1, Started) with { Status = refused.NewStatus }, InWindow.AddMinutes(30),
            [FailedJob(1, Started, "PodFailurePolicy", RunnerExitCodes.CouldNotStart)],
            Progress(0, 0, listingComplete: false) with { SettingsRejected = Problem }, CredentialsSecretState.WithKeys("apiKey") with { Version = "41" }));

        Assert.Equal(ImportJobPhase.Failed, later.NewStatus.Phase);
        Assert.Empty(Steps(later));
        Assert.Empty(later.Events);
    }

    [Fact]
    public void Decide_SecretReplacedAfterCredentialsRefused_TriesAgainByItself()
    {
        var refused = ImportJobDecision.Decide(Observe(WithRun(1, Started), InWindow, [FailedJob(1, Started, "PodFailurePolicy", RunnerExitCodes.CouldNotStart)],
            Progress(0, 0, listingComplete: false) with { CredentialsRejected = true }, CredentialsSecretState.WithKeys("apiKey") with { Version = "41" }));
        Assert.Contains("tries again by itself", Condition(refused, ImportJobConditions.Stalled)?.Message, StringComparison.Ordinal);

        var plan = ImportJobDecision.Decide(Observe(WithRun(1, Started) with { Status = refused.NewStatus }, InWindow.AddMinutes(1),
            [FailedJob(1, Started, "PodFailurePolicy", RunnerExitCodes.CouldNotStart)],
            Progress(0, 0, listingComplete: false) with { CredentialsRejected = true }, CredentialsSecretState.WithKeys("apiKey") with { Version = "42" }));

        Assert.Equal(["ResetRetryableFailures secret-42", "CreateRunnerJob acme-grain-r2"], Steps(plan));
        Assert.Null(Condition(plan, ImportJobConditions.Stalled));
        Assert.Null(plan.NewStatus.RefusedSecretVersion);
        Assert.Equal(ImportJobPhase.Running, plan.NewStatus.Phase);
    }

    [Fact]
    public void Decide_SecretUnchangedAfterRefusal_StaysFailed()
    {
        var refused = RefusedRun();

        var plan = ImportJobDecision.Decide(Observe(WithRun(1, Started) with { Status = refused.NewStatus }, InWindow.AddMinutes(1),
            [FailedJob(1, Started, "PodFailurePolicy", RunnerExitCodes.CouldNotStart)],
            Progress(0, 0, listingComplete: false) with { SettingsRejected = Problem }, CredentialsSecretState.WithKeys("apiKey") with { Version = "41" }));

        Assert.Empty(Steps(plan));
        Assert.Equal(ImportJobPhase.Failed, plan.NewStatus.Phase);
    }
}
