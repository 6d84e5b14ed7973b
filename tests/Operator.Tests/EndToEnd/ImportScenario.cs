using System.Globalization;
using System.Text.Json;
using CallImport.ImportJobs;
using CallImport.Operator.Runs;
using CallImport.Testing.Fakes.Grain;
using k8s;
using k8s.Models;
using Npgsql;

namespace CallImport.Operator.Tests.EndToEnd;

/// <summary>
/// One end-to-end test's world on the shared control plane: its own namespace, customer, Grain fake, media
/// directory and operator replicas; helpers to apply manifests with kubectl and to wait for what the user would see.
/// </summary>
internal sealed class ImportScenario : IAsyncDisposable
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);

    private readonly ControlPlaneFixture _fixture;
    private readonly List<OperatorInstance> _operators = [];
    private Kubectl? _kubectl;

    private ImportScenario(ControlPlaneFixture fixture, string name, GrainFake grain)
    {
        _fixture = fixture;
        Namespace = $"{name}-{Guid.NewGuid().ToString("N")[..6]}";
        Customer = Namespace;
        Grain = grain;
        MediaDirectory = Path.Combine(fixture.Root, "media", Namespace);
    }

    public string Namespace { get; }
    public string Customer { get; }
    public GrainFake Grain { get; }
    public string MediaDirectory { get; }
    public IKubernetes Client => _fixture.Client;
    public Kubectl Kubectl => _kubectl ??= new Kubectl(_fixture.KubeconfigPath, Namespace);
    public ControlPlaneFixture Fixture => _fixture;

    public static async Task<ImportScenario> StartAsync(ControlPlaneFixture fixture, string name, GrainFakeOptions? grain = null)
    {
        var scenario = new ImportScenario(fixture, name, await GrainFake.StartAsync(grain ?? new GrainFakeOptions { RecordingCount = 12 }));
        await fixture.Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = scenario.Namespace } });
        return scenario;
    }

    /// <summary>Settings of a test replica: this namespace only, the local runner, short intervals so tests are quick.</summary>
    public Dictionary<string, string?> Settings(string identity) => new()
    {
        ["Operator:Kubeconfig"] = _fixture.KubeconfigPath,
        ["Operator:WatchNamespace"] = Namespace,
        ["Operator:LeaseNamespace"] = Namespace,
        ["Operator:Identity"] = identity,
        ["Operator:HttpPort"] = "0",
        ["Operator:DatabaseConnectionString"] = _fixture.DatabaseConnectionString,
        ["Operator:RunnerDatabaseConnectionString"] = _fixture.DatabaseConnectionString,
        ["Operator:RunnerStorage"] = new Uri(MediaDirectory + "/").AbsoluteUri,
        ["Operator:RunnerImage"] = ControlPlaneFixture.RunnerImage,
        ["Operator:RunnerEnvironment:CALLIMPORT_PLATFORM_RPS_OVERRIDE"] = "200",
        ["Operator:DefaultWindowStart"] = "00:00",
        ["Operator:DefaultWindowEnd"] = "00:00",
        ["Operator:ProgressPollInterval"] = "00:00:01",
        ["Operator:CapacityRecheckInterval"] = "00:00:02",
        ["Operator:DeletionRecheckInterval"] = "00:00:01",
        ["Operator:ErrorBackoff"] = "00:00:00.200",
        ["Operator:MaxErrorBackoff"] = "00:00:05",
        ["Operator:WatchTimeout"] = "00:00:30",
        ["Operator:WatchSilenceLimit"] = "00:02:00",
        ["Operator:LeaseDuration"] = "00:00:04",
        ["Operator:LeaseRenewDeadline"] = "00:00:03",
        ["Operator:LeaseRetryPeriod"] = "00:00:00.500",
        ["Operator:MetricsRefreshInterval"] = "00:00:01",
        ["Operator:LogFormat"] = "text",
        ["Operator:LogLevel"] = "Warning",
    };

    public async Task<OperatorInstance> StartOperatorAsync(string identity = "operator-a", TimeProvider? time = null, Action<Dictionary<string, string?>>? adjust = null)
    {
        var settings = Settings(identity);
        adjust?.Invoke(settings);
        var instance = await OperatorInstance.StartAsync(settings, time);
        _operators.Add(instance);
        return instance;
    }

    public string SecretYaml(string name = "grain-credentials") => $"""
        apiVersion: v1
        kind: Secret
        metadata:
          name: {name}
        type: Opaque
        stringData:
          apiKey: {Grain.ApiKey}
          baseUrl: {Grain.BaseUrl}
        """;

    /// <summary>An ImportJob of every recording the fake holds; <paramref name="extraSpec"/> lines are appended to spec (2-space indented).</summary>
    public string ImportJobYaml(string name, string extraSpec = "", string secret = "grain-credentials") => $"""
        apiVersion: callimport.io/v1alpha1
        kind: ImportJob
        metadata:
          name: {name}
        spec:
          customerId: {Customer}
          platform: grain
          credentialsSecretRef:
            name: {secret}
          dateRange:
            start: "2026-01-01T00:00:00Z"
            end: "2026-02-01T00:00:00Z"
          internalDomains: ["acme.com"]
          concurrency: 4
        {Indent(extraSpec)}
        """;

    private static string Indent(string lines) =>
        string.Join('\n', lines.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => "  " + l));

    public async Task<ImportJob?> GetAsync(string name)
    {
        try
        {
            var item = await Client.CustomObjects.GetNamespacedCustomObjectAsync(ImportJobResource.Group, ImportJobResource.Version, Namespace, ImportJobResource.Plural, name);
            return ((JsonElement)item).Deserialize<ImportJob>(ImportJobJson.Options);
        }
        catch (k8s.Autorest.HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>Polls the ImportJob until <paramref name="condition"/> holds; fails with its last state.</summary>
    public async Task<ImportJob> WaitForAsync(string name, Func<ImportJob, bool> condition, string what, TimeSpan? timeout = null, bool stopOnEnd = false)
    {
        var deadline = DateTime.UtcNow + (timeout ?? Patience);
        ImportJob? last = null;
        while (DateTime.UtcNow < deadline)
        {
            last = await GetAsync(name);
            if (last is not null && condition(last))
                return last;
            if (last?.Status?.Phase is { } phase && ImportJobPhase.IsEnded(phase) && stopOnEnd)
                break;
            await Task.Delay(200);
        }
        Assert.Fail($"{name} did not become {what}; last status: {(last is null ? "none" : ImportJobJson.Serialize(last.Status))}\n{await RunnerLogsAsync(name)}");
        return null!;
    }

    /// <summary>Waits for a phase; an import that ends in another phase fails the wait at once.</summary>
    public Task<ImportJob> WaitForPhaseAsync(string name, string phase, TimeSpan? timeout = null) =>
        WaitForAsync(name, i => i.Status?.Phase == phase, $"phase {phase}", timeout, stopOnEnd: true);

    /// <summary>The logs of the ImportJob's runner pods (for failure messages).</summary>
    public async Task<string> RunnerLogsAsync(string importJob)
    {
        var text = new System.Text.StringBuilder();
        foreach (var job in await RunnerJobsAsync(importJob))
        {
            foreach (var pod in await PodsOfAsync(job.Metadata.Name))
            {
                try
                {
                    using var log = await Client.CoreV1.ReadNamespacedPodLogAsync(pod.Metadata.Name, Namespace);
                    using var reader = new StreamReader(log);
                    var content = await reader.ReadToEndAsync();
                    text.AppendLine($"--- {pod.Metadata.Name} ---").AppendLine(content.Length > 3000 ? content[^3000..] : content);
                }
                catch (k8s.Autorest.HttpOperationException)
                {
                    text.AppendLine($"--- {pod.Metadata.Name}: no log ---");
                }
            }
        }
        return text.ToString();
    }

    public static async Task EventuallyAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? Patience);
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
                return;
            await Task.Delay(200);
        }
        Assert.Fail($"timed out waiting for {what}");
    }

    public async Task<IList<V1Job>> RunnerJobsAsync(string importJob) =>
        (await Client.BatchV1.ListNamespacedJobAsync(Namespace, labelSelector: RunnerJobLabels.SelectorFor(importJob))).Items;

    public async Task<IList<V1Pod>> PodsOfAsync(string jobName) =>
        (await Client.CoreV1.ListNamespacedPodAsync(Namespace, labelSelector: $"batch.kubernetes.io/job-name={jobName}")).Items;

    /// <summary>The customer's engagements: how many rows, and how many distinct calls (equal when nothing was imported twice).</summary>
    public async Task<(long Rows, long DistinctCalls)> EngagementsAsync()
    {
        await using var connection = new NpgsqlConnection(_fixture.DatabaseConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT count(*), count(DISTINCT source_call_id) FROM engagements WHERE customer_id = $1 AND import_source = 'grain'", connection);
        command.Parameters.AddWithValue(Customer);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    public static string Rfc3339(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public async ValueTask DisposeAsync()
    {
        foreach (var instance in _operators)
            await instance.DisposeAsync();
        try
        {
            // Stop any runner still going, so its process does not outlive the test.
            foreach (var job in (await Client.BatchV1.ListNamespacedJobAsync(Namespace)).Items)
                await Client.BatchV1.DeleteNamespacedJobAsync(job.Metadata.Name, Namespace, propagationPolicy: "Background");
        }
        catch (k8s.Autorest.HttpOperationException)
        {
            // Best effort.
        }
        _kubectl?.Dispose();
        await Grain.DisposeAsync();
    }
}
