using System.Text.Json.Nodes;

namespace CallImport.Operator.Tests.Monitoring;

/// <summary>The Argo CD health script against ImportJobs shaped as the operator writes them (the e2e tests also feed it live ones).</summary>
public sealed class ArgoHealthCheckTests
{
    private static JsonNode Job(string status, long generation = 1) => new JsonObject
    {
        ["apiVersion"] = "callimport.io/v1alpha1",
        ["kind"] = "ImportJob",
        ["metadata"] = new JsonObject { ["name"] = "acme-grain", ["namespace"] = "imports", ["generation"] = generation },
        ["spec"] = new JsonObject { ["customerId"] = "acme", ["platform"] = "grain" },
        ["status"] = JsonNode.Parse(status),
    };

    public static TheoryData<string, string, string> Statuses => new()
    {
        { """{"phase":"Queued","observedGeneration":1,"conditions":[{"type":"Scheduled","status":"False","reason":"CustomerLimit","message":"2 runs of customer acme already running"}]}""", "Progressing", "Queued: 2 runs of customer acme already running" },
        { """{"phase":"Running","observedGeneration":1,"processedCalls":4,"totalCalls":12}""", "Progressing", "Running: 4 processed, 0 failed, 0 skipped of 12" },
        { """{"phase":"Running","observedGeneration":1,"conditions":[{"type":"Progressing","status":"False","reason":"HeartbeatStale","message":"no heartbeat for 12m"}]}""", "Progressing", "Running, but no heartbeat for 12m" },
        { """{"phase":"Waiting","observedGeneration":1,"nextWindowStart":"2026-01-16T01:00:00Z"}""", "Suspended", "Waiting for the import window or the daily quota, next start 2026-01-16T01:00:00Z" },
        { """{"phase":"Completed","observedGeneration":1,"processedCalls":12,"totalCalls":12,"failedCalls":0}""", "Healthy", "12 processed, 0 failed, 0 skipped of 12" },
        { """{"phase":"Partial","observedGeneration":1,"processedCalls":10,"failedCalls":2,"totalCalls":12}""", "Degraded", "Some calls failed: 10 processed, 2 failed, 0 skipped of 12 (retry: annotate callimport.io/retry-requested-at)" },
        { """{"phase":"Failed","observedGeneration":1,"conditions":[{"type":"Ready","status":"False","reason":"Failed","message":"the runner crashed 3 times"}]}""", "Degraded", "Failed: the runner crashed 3 times" },
        { """{"phase":"Failed","observedGeneration":1,"conditions":[{"type":"Stalled","status":"True","reason":"CredentialsRejected","message":"grain refused the API key: put a valid \"apiKey\" in Secret grain-credentials"}]}""", "Degraded", "CredentialsRejected: grain refused the API key: put a valid \"apiKey\" in Secret grain-credentials" },
        { """{"phase":"Queued","observedGeneration":1,"conditions":[{"type":"Stalled","status":"True","reason":"SecretNotFound","message":"créez le Secret"}]}""", "Degraded", "SecretNotFound: créez le Secret" },
        { """{"phase":"Cancelled","observedGeneration":1,"processedCalls":3,"totalCalls":12}""", "Suspended", "Cancelled by spec.cancel: 3 processed, 0 failed, 0 skipped of 12" },
    };

    [SkippableTheory]
    [MemberData(nameof(Statuses))]
    public async Task Health_FromPhaseAndConditions(string status, string expectedStatus, string expectedMessage)
    {
        var (health, message) = await ArgoHealthCheck.EvaluateAsync(Job(status));

        Assert.Equal((expectedStatus, expectedMessage), (health, message));
    }

    [SkippableFact]
    public async Task Health_NoStatusYet_IsProgressing()
    {
        var job = Job("{}");
        job.AsObject().Remove("status");

        Assert.Equal("Progressing", (await ArgoHealthCheck.EvaluateAsync(job)).Status);
    }

    [SkippableFact]
    public async Task Health_SpecNewerThanObserved_IsProgressing_EvenIfCompleted()
    {
        var (health, message) = await ArgoHealthCheck.EvaluateAsync(Job("""{"phase":"Completed","observedGeneration":1}""", generation: 2));

        Assert.Equal(("Progressing", "The operator has not seen the latest spec yet"), (health, message));
    }
}
