using CallImport.ImportJobs;
using CallImport.Operator.Reconciliation;
using static CallImport.Operator.Tests.Reconciliation.Scenario;

namespace CallImport.Operator.Tests.Reconciliation;

/// <summary>credentialsPolicy DeleteAfterImport with one Secret shared by several ImportJobs of a customer.</summary>
public sealed class SharedSecretDecisionTests
{
    private static readonly DateTimeOffset Started = InWindow.AddHours(-2);

    private static ReconcilePlan Complete(CredentialsSecretState secret, ImportJob? job = null) =>
        ImportJobDecision.Decide(Observe(job ?? WithRun(1, Started), InWindow, [CompleteJob(1, Started)], Progress(5, 5), secret));

    [Fact]
    public void Decide_CompletedWhileAnotherUnfinishedImportJobUsesTheSecret_KeptWithAnEventNamingIt()
    {
        var plan = Complete(CredentialsSecretState.WithKeys("apiKey") with { AlsoUsedBy = ["acme-grain-2025"] });

        Assert.Equal(ImportJobPhase.Completed, plan.NewStatus.Phase);
        Assert.Empty(Steps(plan));
        var condition = Condition(plan, ImportJobConditions.CredentialsDeleted);
        Assert.Equal((ConditionStatus.False, ImportJobConditions.Reasons.SecretStillInUse), (condition?.Status, condition?.Reason));
        Assert.Contains("'acme-grain-2025'", condition?.Message, StringComparison.Ordinal);
        Assert.Contains("Normal SecretStillInUse", EventReasons(plan));
    }

    [Fact]
    public void Decide_KeptThenTheOtherEnds_DeletedByTheNextReconcile()
    {
        var kept = Complete(CredentialsSecretState.WithKeys("apiKey") with { AlsoUsedBy = ["acme-grain-2025"] });

        var plan = Complete(CredentialsSecretState.WithKeys("apiKey"), WithRun(1, Started) with { Status = kept.NewStatus });

        Assert.Equal([$"DeleteCredentialsSecret {SecretName}"], Steps(plan));
        Assert.Equal(ConditionStatus.True, Condition(plan, ImportJobConditions.CredentialsDeleted)?.Status);
        Assert.Contains("Normal CredentialsDeleted", EventReasons(plan));
    }

    [Fact]
    public void Decide_StillUsedOnTheNextReconcile_NoSecondEvent()
    {
        var secret = CredentialsSecretState.WithKeys("apiKey") with { AlsoUsedBy = ["acme-grain-2025"] };
        var kept = Complete(secret);

        var plan = Complete(secret, WithRun(1, Started) with { Status = kept.NewStatus });

        Assert.Empty(plan.Events);
        Assert.Empty(Steps(plan));
    }

    [Fact]
    public void Decide_NoOtherUser_DeletedAtOnce()
    {
        var plan = Complete(CredentialsSecretState.WithKeys("apiKey"));

        Assert.Equal([$"DeleteCredentialsSecret {SecretName}"], Steps(plan));
    }
}
