using System.Text.Json.Nodes;
using CallImport.ImportJobs;
using CallImport.Operator.Tests.Samples;
using CallImport.Testing.Fakes;

namespace CallImport.Operator.Tests.EndToEnd;

/// <summary>
/// Every sample whose platform has a vendor fake, running at once under one operator in one namespace: each
/// sample's Secret gets its fake's valid credentials, each ImportJob the fake's date range and the customer of
/// the namespace; nothing else of the sample changes, except its schedule (the test operator's window is all day).
/// Started by the first case that asks; each case then waits for its own ImportJob.
/// </summary>
public sealed class SampleImports : IAsyncLifetime
{
    /// <summary>What every fake holds: a few calls, so the runs are quick; the default range (January 2026).</summary>
    public static readonly VendorFakeScenario Scenario = new() { Calls = 8 };

    private readonly SemaphoreSlim _starting = new(1, 1);
    private readonly Dictionary<string, StartedSample> _started = new(StringComparer.Ordinal);
    private ImportScenario? _scenario;

    public sealed record StartedSample(string JobName, IVendorFake Fake);

    public static string SamplePath(string platform) => ControlPlaneFixture.RepositoryFile($"samples/{platform}.yaml");

    /// <summary>The platforms of samples/*.yaml, in order.</summary>
    public static IEnumerable<string> Platforms() =>
        Directory.GetFiles(ControlPlaneFixture.RepositoryFile("samples"), "*.yaml").Select(Path.GetFileNameWithoutExtension).OfType<string>().Order(StringComparer.Ordinal);

    /// <summary>Starts every sample that has a fake (once), then answers the one asked for.</summary>
    internal async Task<(ImportScenario Scenario, StartedSample Sample)> SampleAsync(ControlPlaneFixture fixture, string platform)
    {
        await _starting.WaitAsync();
        try
        {
            if (_scenario is null)
            {
                var scenario = await ImportScenario.StartAsync(fixture, "samples");
                _scenario = scenario;
                await scenario.StartOperatorAsync();
                foreach (var name in Platforms().Where(VendorFakes.Has))
                    _started[name] = await ApplyAsync(scenario, name);
            }
        }
        finally
        {
            _starting.Release();
        }
        return (_scenario, _started[platform]);
    }

    private static async Task<StartedSample> ApplyAsync(ImportScenario scenario, string platform)
    {
        var fake = await VendorFakes.StartAsync(platform, Scenario);
        var documents = YamlDocuments.Read(SamplePath(platform));
        var secret = documents.Single(d => d["kind"]?.GetValue<string>() == "Secret");
        var job = documents.Single(d => d["kind"]?.GetValue<string>() == ImportJobResource.Kind);

        secret["stringData"] = new JsonObject(fake.ValidCredentials.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)JsonValue.Create(kv.Value))));
        var spec = job["spec"]!.AsObject();
        spec["customerId"] = scenario.Customer;
        spec["dateRange"] = new JsonObject { ["start"] = ImportScenario.Rfc3339(Scenario.From), ["end"] = ImportScenario.Rfc3339(Scenario.To) };
        spec.Remove("schedule");

        (await scenario.Kubectl.ApplyAsync(secret.ToJsonString())).EnsureSuccess();
        (await scenario.Kubectl.ApplyAsync(job.ToJsonString())).EnsureSuccess();
        return new StartedSample(job["metadata"]!["name"]!.GetValue<string>(), fake);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_scenario is not null)
            await _scenario.DisposeAsync();
        foreach (var sample in _started.Values)
            await sample.Fake.DisposeAsync();
        _starting.Dispose();
    }
}
