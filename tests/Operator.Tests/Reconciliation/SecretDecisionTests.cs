using CallImport.ImportJobs;
using CallImport.Operator.Reconciliation;
using static CallImport.Operator.Tests.Reconciliation.Scenario;

namespace CallImport.Operator.Tests.Reconciliation;

public sealed class SecretDecisionTests
{
    [Fact]
    public void Decide_SecretMissing_StalledWithCommandToCreateIt()
    {
        var plan = ImportJobDecision.Decide(Observe(NewJob(), InWindow, secret: CredentialsSecretState.Missing));

        var stalled = Condition(plan, ImportJobConditions.Stalled);
        Assert.Equal(ConditionStatus.True, stalled?.Status);
        Assert.Equal(ImportJobConditions.Reasons.SecretNotFound, stalled?.Reason);
        Assert.Equal(
            "Secret 'grain-credentials' not found in namespace 'imports': create it with kubectl create secret generic grain-credentials -n imports --from-literal=apiKey=…. The import starts by itself within seconds once the Secret exists.",
            stalled?.Message);
        Assert.Contains("Warning SecretNotFound", EventReasons(plan));
    }

    [Fact]
    public void Decide_SecretMissingForMultiKeyPlatform_CommandListsEveryKey()
    {
        var job = NewJob() with { Spec = NewJob().Spec with { Platform = ImportPlatforms.Zoom, CredentialsSecretRef = new SecretReference { Name = "zoom" } } };

        var plan = ImportJobDecision.Decide(Observe(job, InWindow, secret: CredentialsSecretState.Missing));

        Assert.Contains("--from-literal=accountId=… --from-literal=clientId=… --from-literal=clientSecret=…", Condition(plan, ImportJobConditions.Stalled)?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_SecretLacksKeys_StalledNamingTheMissingKeys()
    {
        var job = NewJob() with { Spec = NewJob().Spec with { Platform = ImportPlatforms.Gong } };

        var plan = ImportJobDecision.Decide(Observe(job, InWindow, secret: CredentialsSecretState.WithKeys("accessKey", "baseUrl")));

        var stalled = Condition(plan, ImportJobConditions.Stalled);
        Assert.Equal(ImportJobConditions.Reasons.SecretKeysMissing, stalled?.Reason);
        Assert.Contains("'accessKeySecret'", stalled?.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("'accessKey'", stalled?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_GongSecretWithAnOAuthTokenInsteadOfTheKeyPair_RunStarts()
    {
        var job = NewJob() with { Spec = NewJob().Spec with { Platform = ImportPlatforms.Gong } };

        var plan = ImportJobDecision.Decide(Observe(job, InWindow, secret: CredentialsSecretState.WithKeys("accessToken", "baseUrl")));

        Assert.Null(Condition(plan, ImportJobConditions.Stalled));
        Assert.Equal(["CreateRunnerJob acme-grain-r1"], Steps(plan));
    }

    [Fact]
    public void Decide_GongSecretWithNeitherThePairNorAToken_StalledNamingBoth()
    {
        var job = NewJob() with { Spec = NewJob().Spec with { Platform = ImportPlatforms.Gong } };

        var plan = ImportJobDecision.Decide(Observe(job, InWindow, secret: CredentialsSecretState.WithKeys("baseUrl")));

        var stalled = Condition(plan, ImportJobConditions.Stalled);
        Assert.Equal(ImportJobConditions.Reasons.SecretKeysMissing, stalled?.Reason);
        Assert.Contains("lacks the key(s) 'accessKey', 'accessKeySecret' that platform 'gong' needs (or, instead, 'accessToken')", stalled?.Message, StringComparison.Ordinal);
    }

    private static ImportJob HubSpotJob() =>
        NewJob() with { Spec = NewJob().Spec with { Platform = ImportPlatforms.HubSpot, CredentialsSecretRef = new SecretReference { Name = "hubspot" } } };

    [Fact]
    public void Decide_HubSpotSecretWithOnlyTheOAuthRefreshKeys_RunStarts()
    {
        var plan = ImportJobDecision.Decide(Observe(HubSpotJob(), InWindow, secret: CredentialsSecretState.WithKeys("refreshToken", "clientId", "clientSecret")));

        Assert.Null(Condition(plan, ImportJobConditions.Stalled));
        Assert.Equal(["CreateRunnerJob acme-grain-r1"], Steps(plan));
    }

    [Fact]
    public void Decide_HubSpotSecretWithAnAccessTokenAlone_RunStarts()
    {
        var plan = ImportJobDecision.Decide(Observe(HubSpotJob(), InWindow, secret: CredentialsSecretState.WithKeys("accessToken")));

        Assert.Null(Condition(plan, ImportJobConditions.Stalled));
        Assert.Equal(["CreateRunnerJob acme-grain-r1"], Steps(plan));
    }

    [Fact]
    public void Decide_HubSpotSecretWithNeitherTheTokenNorTheRefreshKeys_StalledNamingBothChoices()
    {
        var plan = ImportJobDecision.Decide(Observe(HubSpotJob(), InWindow, secret: CredentialsSecretState.WithKeys("baseUrl")));

        var stalled = Condition(plan, ImportJobConditions.Stalled);
        Assert.Equal(ImportJobConditions.Reasons.SecretKeysMissing, stalled?.Reason);
        Assert.Equal(
            "Secret 'hubspot' in namespace 'imports' lacks the key(s) 'accessToken' that platform 'hubspot' needs (or, instead, 'refreshToken' + 'clientId' + 'clientSecret'): "
            + "add them (kubectl edit secret hubspot -n imports) or recreate the Secret; the import starts by itself within seconds once they are there.",
            stalled?.Message);
        Assert.Empty(Steps(plan));
    }

    [Fact]
    public void Decide_HubSpotSecretWithTwoOfTheThreeRefreshKeys_StalledNamingTheThird()
    {
        var plan = ImportJobDecision.Decide(Observe(HubSpotJob(), InWindow, secret: CredentialsSecretState.WithKeys("refreshToken", "clientSecret")));

        var stalled = Condition(plan, ImportJobConditions.Stalled);
        Assert.Equal(ImportJobConditions.Reasons.SecretKeysMissing, stalled?.Reason);
        Assert.Contains("(or, instead, 'refreshToken' + 'clientId' + 'clientSecret', of which 'clientId' is missing)", stalled?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_HubSpotSecretMissing_CommandOffersBothWays()
    {
        var plan = ImportJobDecision.Decide(Observe(HubSpotJob(), InWindow, secret: CredentialsSecretState.Missing));

        Assert.Contains(
            "kubectl create secret generic hubspot -n imports --from-literal=accessToken=… (or, instead, --from-literal=refreshToken=… --from-literal=clientId=… --from-literal=clientSecret=…).",
            Condition(plan, ImportJobConditions.Stalled)?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_StillStalled_NoSecondEventAndTransitionTimeKept()
    {
        var first = ImportJobDecision.Decide(Observe(NewJob(), InWindow, secret: CredentialsSecretState.Missing));
        var later = InWindow.AddMinutes(10);

        var second = ImportJobDecision.Decide(Observe(NewJob() with { Status = first.NewStatus }, later, secret: CredentialsSecretState.Missing));

        Assert.Empty(second.Events);
        Assert.Equal(InWindow, Condition(second, ImportJobConditions.Stalled)?.LastTransitionTime);
        Assert.False(second.ChangesStatus(first.NewStatus));
    }

    [Fact]
    public void Decide_SecretCreatedAfterStall_StallClearedAndRunStarts()
    {
        var stalled = ImportJobDecision.Decide(Observe(NewJob(), InWindow, secret: CredentialsSecretState.Missing));

        var plan = ImportJobDecision.Decide(Observe(NewJob() with { Status = stalled.NewStatus }, InWindow.AddMinutes(10)));

        Assert.Null(Condition(plan, ImportJobConditions.Stalled));
        Assert.Equal(["CreateRunnerJob acme-grain-r1"], Steps(plan));
    }

    [Fact]
    public void Decide_UnknownPlatform_StalledSayingToCreateNewImportJob()
    {
        var job = NewJob() with { Spec = NewJob().Spec with { Platform = "teams" } };

        var plan = ImportJobDecision.Decide(Observe(job, InWindow));

        var stalled = Condition(plan, ImportJobConditions.Stalled);
        Assert.Equal(ImportJobConditions.Reasons.UnknownPlatform, stalled?.Reason);
        Assert.Contains("create a new ImportJob", stalled?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_UnknownTimeZone_StalledNamingIt()
    {
        var job = NewJob() with { Spec = NewJob().Spec with { Schedule = new ImportSchedule { Window = new ScheduleWindow { Start = "20:00", End = "08:00", TimeZone = "Europe/Atlantis" } } } };

        var plan = ImportJobDecision.Decide(Observe(job, InWindow));

        var stalled = Condition(plan, ImportJobConditions.Stalled);
        Assert.Equal(ImportJobConditions.Reasons.InvalidSchedule, stalled?.Reason);
        Assert.Contains("'Europe/Atlantis'", stalled?.Message, StringComparison.Ordinal);
        Assert.Empty(Steps(plan));
    }

    [Fact]
    public void Decide_CredentialsRejected_FailedAndStalledWithRetryHint()
    {
        var started = InWindow.AddMinutes(-5);
        var progress = Progress(0, 0, listingComplete: false) with { CredentialsRejected = true };

        var plan = ImportJobDecision.Decide(Observe(WithRun(1, started), InWindow, [FailedJob(1, started, "PodFailurePolicy", RunnerExitCodes.CouldNotStart)], progress));

        Assert.Equal(ImportJobPhase.Failed, plan.NewStatus.Phase);
        var stalled = Condition(plan, ImportJobConditions.Stalled);
        Assert.Equal((ConditionStatus.True, ImportJobConditions.Reasons.CredentialsRejected), (stalled?.Status, stalled?.Reason));
        Assert.Contains("kubectl annotate importjob acme-grain callimport.io/retry-requested-at=", stalled?.Message, StringComparison.Ordinal);
        Assert.Null(plan.RequeueAfter);
        Assert.Equal(RunOutcomes.CouldNotStart, plan.NewStatus.Runs![0].Outcome);
    }
}
