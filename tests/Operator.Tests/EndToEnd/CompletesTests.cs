using CallImport.ImportJobs;

namespace CallImport.Operator.Tests.EndToEnd;

[Collection(EndToEndCollection.Name)]
public sealed class CompletesTests(ControlPlaneFixture fixture)
{
    [SkippableFact]
    public async Task SecretAndImportJobAppliedWithKubectl_EndCompletedWithTheFakesCallsInPostgres()
    {
        Kubectl.SkipWhenAbsent();
        await using var scenario = await ImportScenario.StartAsync(fixture, "completes");
        var replica = await scenario.StartOperatorAsync();

        (await scenario.Kubectl.ApplyAsync(scenario.SecretYaml())).EnsureSuccess();
        (await scenario.Kubectl.ApplyAsync(scenario.ImportJobYaml("acme-grain"))).EnsureSuccess();

        var done = await scenario.WaitForPhaseAsync("acme-grain", ImportJobPhase.Completed);
        var expected = scenario.Grain.Recordings.Count;
        Assert.Equal(expected, done.Status!.TotalCalls);
        Assert.Equal(expected, done.Status.ProcessedCalls);
        Assert.Equal(0, done.Status.FailedCalls);
        Assert.Equal(expected, done.Status.EstimatedCalls);
        Assert.NotNull(done.Status.CompletedAt);
        Assert.Contains(done.Status.Conditions!, c => c.Type == "Ready" && c.Status == "True");
        Assert.Equal((expected, expected), await scenario.EngagementsAsync());

        var table = (await scenario.Kubectl.RunAsync("get", "importjobs")).EnsureSuccess().Stdout;
        var lines = table.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["NAME", "CUSTOMER", "PLATFORM", "PHASE", "PROCESSED", "FAILED", "TOTAL", "AGE"], lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(["acme-grain", scenario.Customer, "grain", "Completed", $"{expected}", "0", $"{expected}"],
            lines[1].Split(' ', StringSplitOptions.RemoveEmptyEntries)[..7]);

        var described = (await scenario.Kubectl.RunAsync("describe", "importjob", "acme-grain")).EnsureSuccess().Stdout;
        Assert.Contains("RunStarted", described);
        Assert.Contains("ImportAccepted", described);
        Assert.Contains("CredentialsRead", described);
        Assert.Contains("callimport-operator", described);

        using var http = new HttpClient();
        Assert.Equal("ok", await http.GetStringAsync(new Uri(replica.Url, "healthz")));
        Assert.Equal("leader; caches synced", await http.GetStringAsync(new Uri(replica.Url, "readyz")));
        // The counters follow the store on the leader's next refresh (every second here).
        var metrics = "";
        await ImportScenario.EventuallyAsync(async () =>
        {
            metrics = await http.GetStringAsync(new Uri(replica.Url, "metrics"));
            return System.Text.RegularExpressions.Regex.IsMatch(metrics, @"callimport_calls_processed_total\{platform=""grain""\} [1-9]")
                && System.Text.RegularExpressions.Regex.IsMatch(metrics, @"callimport_call_processing_duration_seconds_count\{platform=""grain""\} [1-9]");
        }, "the store's totals in /metrics");
        Assert.Matches(@"callimport_importjobs\{phase=""Completed""\} [1-9]", metrics);
        Assert.Matches(@"callimport_runner_runs_started_total\{platform=""grain""\} [1-9]", metrics);
        Assert.Matches(@"callimport_calls_processed_total\{platform=""grain""\} [1-9]", metrics);
        Assert.Matches(@"callimport_reconcile_duration_seconds_count [1-9]", metrics);
        Assert.Matches(@"callimport_platform_requests_total\{platform=""grain""\} [1-9]", metrics);
        Assert.Matches(@"callimport_call_processing_duration_seconds_count\{platform=""grain""\} [1-9]", metrics);
        Assert.Matches(@"callimport_rate_limit_wait_seconds_total\{platform=""grain""\} [0-9]", metrics);
        Assert.Matches(@"callimport_importjobs_finished_total\{platform=""grain"",phase=""Completed""\} [1-9]", metrics);
        Assert.Contains(@"callimport_importjob_phase_transitions_total{from=""Running"",to=""Completed""}", metrics);

        // credentialsPolicy defaults to DeleteAfterImport.
        var secret = await scenario.Kubectl.RunAsync("get", "secret", "grain-credentials");
        Assert.NotEqual(0, secret.ExitCode);
        Assert.Contains("NotFound", secret.Stderr);
    }
}
