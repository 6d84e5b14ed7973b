using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using CallImport.ImportJobs;
using CallImport.Operator.Tests.Monitoring;

namespace CallImport.Operator.Tests.EndToEnd;

/// <summary>
/// A real Prometheus (Debian's package) scrapes a real operator while it imports: the metrics are valid for promtool,
/// the counters arrive, every alert rule evaluates without error, and CallImportImportJobFailed fires for a failed
/// ImportJob (the rules' <c>for</c> set to 0s so the test need not wait a minute).
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class PrometheusScrapeTests(ControlPlaneFixture fixture)
{
    [SkippableFact]
    public async Task Prometheus_ScrapesTheOperator_RulesEvaluate_ImportJobFailedFires()
    {
        Kubectl.SkipWhenAbsent();
        var prometheus = MonitoringTool.Require("prometheus", "prometheus");
        var promtool = MonitoringTool.Require("promtool", "prometheus");
        await using var scenario = await ImportScenario.StartAsync(fixture, "prometheus");
        var replica = await scenario.StartOperatorAsync();
        (await scenario.Kubectl.ApplyAsync(scenario.SecretYaml())).EnsureSuccess();
        (await scenario.Kubectl.ApplyAsync(scenario.SecretYaml("wrong-credentials").Replace(scenario.Grain.ApiKey, "not-the-key", StringComparison.Ordinal))).EnsureSuccess();
        (await scenario.Kubectl.ApplyAsync(scenario.ImportJobYaml("good"))).EnsureSuccess();
        (await scenario.Kubectl.ApplyAsync(scenario.ImportJobYaml("refused", secret: "wrong-credentials"))).EnsureSuccess();
        await scenario.WaitForPhaseAsync("good", ImportJobPhase.Completed);
        await scenario.WaitForPhaseAsync("refused", ImportJobPhase.Failed);

        using var http = new HttpClient();
        var scraped = await http.GetStringAsync(new Uri(replica.Url, "metrics"));
        // The exposition parses, and promtool's lint has nothing to say about our metrics (the .NET runtime's own are not ours to rename).
        var (_, lint) = await MonitoringTool.RunAsync(promtool, fixture.Root, scraped, "check", "metrics");
        Assert.DoesNotContain("error", lint, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("callimport_", lint, StringComparison.Ordinal);

        var work = Directory.CreateTempSubdirectory("prometheus-").FullName;
        var port = FreePort();
        var rules = (await File.ReadAllTextAsync(Path.Combine(Samples.YamlDocuments.RepositoryRoot(), "deploy/helm/callimport/files/prometheus-rules.yaml")))
            .Replace("for: 1m", "for: 0s", StringComparison.Ordinal);
        await File.WriteAllTextAsync(Path.Combine(work, "rules.yaml"), rules);
        await File.WriteAllTextAsync(Path.Combine(work, "prometheus.yml"), $"""
            global:
              scrape_interval: 1s
              evaluation_interval: 1s
            rule_files: [rules.yaml]
            scrape_configs:
              - job_name: callimport-operator
                static_configs:
                  - targets: ["{replica.Url.Authority}"]
            """);
        using var server = Process.Start(new ProcessStartInfo(prometheus)
        {
            WorkingDirectory = work,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            ArgumentList = { "--config.file=prometheus.yml", $"--storage.tsdb.path={Path.Combine(work, "data")}", $"--web.listen-address=127.0.0.1:{port}" },
        })!;
        var log = new System.Text.StringBuilder();
        server.ErrorDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        server.OutputDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        server.BeginErrorReadLine();
        server.BeginOutputReadLine();
        try
        {
            var api = new Uri($"http://127.0.0.1:{port}/api/v1/");
            async Task<JsonNode> Get(string path) => JsonNode.Parse(await http.GetStringAsync(new Uri(api, path)))!["data"]!;

            await ImportScenario.EventuallyAsync(async () =>
            {
                try
                {
                    var result = (await Get("query?query=" + Uri.EscapeDataString("callimport_calls_processed_total{platform=\"grain\"} > 0")))["result"]!.AsArray();
                    return result.Count > 0;
                }
                catch (HttpRequestException)
                {
                    return false;
                }
            }, $"Prometheus to scrape callimport_calls_processed_total\n{log}");

            await ImportScenario.EventuallyAsync(async () =>
                (await Get("alerts"))["alerts"]!.AsArray().Any(a => a!["labels"]!["alertname"]!.GetValue<string>() == "CallImportImportJobFailed"
                    && a["labels"]!["importjob"]!.GetValue<string>() == "refused" && a["state"]!.GetValue<string>() == "firing"),
                "CallImportImportJobFailed firing for the refused ImportJob");

            var alerts = (await Get("alerts"))["alerts"]!.AsArray();
            Assert.DoesNotContain(alerts, a => a!["labels"]!["importjob"]?.GetValue<string>() == "good");
            var evaluated = (await Get("rules"))["groups"]!.AsArray().SelectMany(g => g!["rules"]!.AsArray()).ToList();
            Assert.Equal(PromtoolTests.Alerts, evaluated.Select(r => r!["name"]!.GetValue<string>()));
            Assert.All(evaluated, r => Assert.True(r!["health"]!.GetValue<string>() == "ok", r.ToJsonString()));
            var up = (await Get("query?query=up"))["result"]!.AsArray();
            Assert.Equal("1", Assert.Single(up)!["value"]![1]!.GetValue<string>());
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
            Directory.Delete(work, recursive: true);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
