using System.Net;
using System.Text.Json;
using CallImport.ImportJobs;
using CallImport.Operator.Reconciliation;
using CallImport.Testing.Postgres;
using DotNet.Testcontainers.Configurations;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Testcontainers.K3s;

namespace CallImport.Operator.Tests.EndToEnd;

/// <summary>
/// The CRD and the operator against a real API server (k3s in a container). Skipped, with the reason, where no
/// Docker engine exists. Runner pods are not run there (the runner image is not published to a registry this
/// machine can reach), so the operator is proven on a decision that needs none: a missing Secret.
/// </summary>
public sealed class K3sClusterTests : IAsyncLifetime
{
    private const string NoDocker = "No Docker engine here (TestcontainersSettings.OS.DockerEndpointAuthConfig is null), so no k3s cluster can start";
    private K3sContainer? _k3s;
    private string _kubeconfigPath = "";

    private static bool DockerAvailable => TestcontainersSettings.OS.DockerEndpointAuthConfig is not null;

    public async Task InitializeAsync()
    {
        if (!DockerAvailable)
            return;
        _k3s = new K3sBuilder("rancher/k3s:v1.32.4-k3s1").Build();
        await _k3s.StartAsync();
        _kubeconfigPath = Path.Combine(Directory.CreateTempSubdirectory("k3s-").FullName, "kubeconfig");
        await File.WriteAllTextAsync(_kubeconfigPath, await _k3s.GetKubeconfigAsync());
        using var client = Client();
        var crd = KubernetesYaml.Deserialize<V1CustomResourceDefinition>(await File.ReadAllTextAsync(ControlPlaneFixture.RepositoryFile("config/crd/importjobs.callimport.io.yaml")));
        await client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(crd);
        // The CRD is served once Established.
        for (var i = 0; i < 100; i++)
        {
            var read = await client.ApiextensionsV1.ReadCustomResourceDefinitionAsync(crd.Metadata.Name);
            if (read.Status?.Conditions?.Any(c => c.Type == "Established" && c.Status == "True") == true)
                break;
            await Task.Delay(200);
        }
    }

    public async Task DisposeAsync()
    {
        if (_k3s is not null)
            await _k3s.DisposeAsync();
    }

    private k8s.Kubernetes Client() => new(KubernetesClientConfiguration.BuildConfigFromConfigFile(_kubeconfigPath));

    [SkippableFact]
    public async Task RealApiServer_RefusesAnInvalidImportJob_WithTheCrdsMessage()
    {
        Skip.IfNot(DockerAvailable, NoDocker);
        using var client = Client();
        var bad = JsonDocument.Parse("""
            {"apiVersion":"callimport.io/v1alpha1","kind":"ImportJob","metadata":{"name":"backwards"},
             "spec":{"customerId":"acme","platform":"grain","credentialsSecretRef":{"name":"s"},
                     "dateRange":{"start":"2026-02-01T00:00:00Z","end":"2026-01-01T00:00:00Z"}}}
            """).RootElement;

        var refused = await Assert.ThrowsAsync<HttpOperationException>(() =>
            client.CustomObjects.CreateNamespacedCustomObjectAsync(bad, ImportJobResource.Group, ImportJobResource.Version, "default", ImportJobResource.Plural));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.Response.StatusCode);
        Assert.Contains("dateRange.start must be before dateRange.end", refused.Response.Content);
    }

    [SkippableFact]
    public async Task RealApiServer_OperatorReconciles_MissingSecretEndsStalled()
    {
        Skip.IfNot(DockerAvailable, NoDocker);
        using var client = Client();
        var database = await (await PostgresServer.SharedAsync()).CreateDatabaseAsync("operator_k3s");
        await using var instance = await OperatorInstance.StartAsync(new Dictionary<string, string?>
        {
            ["Operator:Kubeconfig"] = _kubeconfigPath,
            ["Operator:HttpPort"] = "0",
            ["Operator:DatabaseConnectionString"] = database,
            ["Operator:RunnerDatabaseConnectionString"] = database,
            ["Operator:LeaseNamespace"] = "default",
            ["Operator:LogLevel"] = "Warning",
        });
        var job = JsonDocument.Parse("""
            {"apiVersion":"callimport.io/v1alpha1","kind":"ImportJob","metadata":{"name":"no-secret"},
             "spec":{"customerId":"acme","platform":"grain","credentialsSecretRef":{"name":"missing"},
                     "schedule":{"window":{"start":"00:00","end":"00:00","timeZone":"UTC"}}}}
            """).RootElement;
        await client.CustomObjects.CreateNamespacedCustomObjectAsync(job, ImportJobResource.Group, ImportJobResource.Version, "default", ImportJobResource.Plural);

        ImportJob? seen = null;
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (DateTime.UtcNow < deadline && seen?.Status?.Conditions?.Any(c => c.Type == "Stalled" && c.Status == "True") != true)
        {
            await Task.Delay(500);
            var raw = (JsonElement)await client.CustomObjects.GetNamespacedCustomObjectAsync(ImportJobResource.Group, ImportJobResource.Version, "default", ImportJobResource.Plural, "no-secret");
            seen = raw.Deserialize<ImportJob>(ImportJobJson.Options);
        }

        var stalled = Assert.Single(seen!.Status!.Conditions!, c => c.Type == "Stalled");
        Assert.Equal("SecretNotFound", stalled.Reason);
        Assert.Contains(ImportJobConditions.Finalizer, seen.Metadata.Finalizers!);
    }
}
