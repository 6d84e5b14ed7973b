using System.Diagnostics;
using System.Text.Json;
using DotNet.Testcontainers.Builders;
using DotNet.Testcontainers.Configurations;
using DotNet.Testcontainers.Networks;
using k8s;
using k8s.Models;
using Npgsql;
using Testcontainers.K3s;
using Testcontainers.PostgreSql;

namespace CallImport.Deploy.Tests;

/// <summary>
/// The whole release on a real cluster (k3s in a container), where a Docker engine exists: make images, the images
/// loaded into k3s, the chart rendered (no helm binary is needed: the same renderer as the static tests) and applied
/// with kubectl, the helm test pod run, then the NOTES' first import done for real: a manual upload whose files
/// travel in the credentials Secret itself (no vendor is reachable from the cluster), into a PostgreSQL container.
/// </summary>
public sealed class K3sChartTests
{
    private const string NoDocker = "No Docker engine here (TestcontainersSettings.OS.DockerEndpointAuthConfig is null): no image can be built and no k3s cluster can start";
    private const string Registry = "callimport.test";
    private const string Namespace = "callimport-system";
    private const string Imports = "imports";

    private static bool DockerAvailable => TestcontainersSettings.OS.DockerEndpointAuthConfig is not null;

    [SkippableFact]
    public async Task Chart_InstallsOnK3s_PassesItsTest_AndImports()
    {
        Skip.IfNot(DockerAvailable, NoDocker);
        Skip.If(Which("kubectl") is null, "kubectl is not installed");
        await RunAsync("scripts/images.sh", [], new() { ["REGISTRY"] = Registry });
        var version = ReleaseVersion();

        await using var network = new NetworkBuilder().Build();
        await using var postgres = new PostgreSqlBuilder("postgres:15").WithNetwork(network).WithNetworkAliases("postgres").Build();
        await using var k3s = new K3sBuilder("rancher/k3s:v1.32.4-k3s1").WithNetwork(network).Build();
        await Task.WhenAll(postgres.StartAsync(), k3s.StartAsync());
        foreach (var name in new[] { "operator", "import-runner" })
        {
            var tar = Path.Combine(Path.GetTempPath(), $"{name}-{Guid.NewGuid():N}.tar");
            await RunAsync("docker", ["save", "-o", tar, $"{Registry}/{name}:{version}"]);
            await k3s.CopyAsync(await File.ReadAllBytesAsync(tar), $"/tmp/{name}.tar");
            File.Delete(tar);
            var imported = await k3s.ExecAsync(["ctr", "-n", "k8s.io", "images", "import", $"/tmp/{name}.tar"]);
            Assert.True(imported.ExitCode == 0, imported.Stderr);
        }
        var kubeconfig = Path.Combine(Directory.CreateTempSubdirectory("k3s-chart-").FullName, "kubeconfig");
        await File.WriteAllTextAsync(kubeconfig, await k3s.GetKubeconfigAsync());
        using var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig));

        // The database, its roles as the README creates them, and the two Secrets.
        var inCluster = $"Host=postgres;Port=5432;Username={PostgreSqlBuilder.DefaultUsername};Password={PostgreSqlBuilder.DefaultPassword};Database={PostgreSqlBuilder.DefaultDatabase}";
        foreach (var ns in new[] { Namespace, Imports })
            await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = ns } });
        await client.CoreV1.CreateNamespacedSecretAsync(Secret("callimport-database-operator", new() { ["connectionString"] = inCluster }), Namespace);
        await client.CoreV1.CreateNamespacedSecretAsync(Secret("callimport-database", new() { ["connectionString"] = inCluster }), Imports);

        var chart = Chart.Render($$"""
            replicaCount: 1
            image: { repository: {{Registry}}/operator, pullPolicy: Never }
            runner: { image: { repository: {{Registry}}/import-runner }, storage: "file:///tmp/media" }
            watchNamespaces: [{{Imports}}]
            settings: { defaultWindowStart: "00:00", defaultWindowEnd: "00:00" }
            """);
        var manifests = Path.Combine(Path.GetDirectoryName(kubeconfig)!, "release.json");
        var hooks = chart.Objects.Where(o => o.Body["metadata"]?["annotations"]?["helm.sh/hook"] is not null).ToList();
        await File.WriteAllTextAsync(manifests, JsonSerializer.Serialize(new { apiVersion = "v1", kind = "List", items = chart.Objects.Except(hooks).Select(o => o.Body) }));
        await RunAsync("kubectl", ["--kubeconfig", kubeconfig, "apply", "--server-side", "-f", manifests]);
        await RunAsync("kubectl", ["--kubeconfig", kubeconfig, "-n", Namespace, "rollout", "status", "deployment/callimport", "--timeout=300s"]);

        // helm test: the hook objects, run once.
        await File.WriteAllTextAsync(manifests, JsonSerializer.Serialize(new { apiVersion = "v1", kind = "List", items = hooks.Select(o => o.Body) }));
        await RunAsync("kubectl", ["--kubeconfig", kubeconfig, "apply", "-f", manifests]);
        await RunAsync("kubectl", ["--kubeconfig", kubeconfig, "-n", Namespace, "wait", "pod/callimport-test", "--for=jsonpath={.status.phase}=Succeeded", "--timeout=300s"]);

        // The first import: the upload folder is the mounted Secret (its location key points at the mount).
        var recording = new byte[64 * 1024];
        new Random(7).NextBytes(recording);
        await client.CoreV1.CreateNamespacedSecretAsync(new V1Secret
        {
            Metadata = new V1ObjectMeta { Name = "acme-upload" },
            Data = new Dictionary<string, byte[]>
            {
                ["location"] = "/var/run/callimport/credentials"u8.ToArray(),
                ["call-1.m4a"] = recording,
            },
        }, Imports);
        await client.CustomObjects.CreateNamespacedCustomObjectAsync(new Dictionary<string, object>
        {
            ["apiVersion"] = "callimport.io/v1alpha1",
            ["kind"] = "ImportJob",
            ["metadata"] = new Dictionary<string, object> { ["name"] = "acme-upload" },
            ["spec"] = new Dictionary<string, object>
            {
                ["customerId"] = "acme",
                ["platform"] = "manual",
                ["credentialsSecretRef"] = new Dictionary<string, object> { ["name"] = "acme-upload" },
                ["credentialsPolicy"] = "Retain",
            },
        }, "callimport.io", "v1alpha1", Imports, "importjobs");
        await RunAsync("kubectl", ["--kubeconfig", kubeconfig, "-n", Imports, "wait", "importjob/acme-upload", "--for=jsonpath={.status.phase}=Completed", "--timeout=600s"]);

        await using var connection = new NpgsqlConnection(postgres.GetConnectionString());
        await connection.OpenAsync();
        await using var count = new NpgsqlCommand("SELECT count(*) FROM engagements WHERE customer_id = 'acme' AND import_source = 'manual'", connection);
        Assert.Equal(1L, (long)(await count.ExecuteScalarAsync())!);
    }

    private static V1Secret Secret(string name, Dictionary<string, string> data) =>
        new() { Metadata = new V1ObjectMeta { Name = name }, StringData = data };

    private static string ReleaseVersion() =>
        System.Text.RegularExpressions.Regex.Match(Chart.Read("Chart.yaml"), "(?m)^appVersion:\\s*\"?([^\"\\s]+)").Groups[1].Value;

    private static string? Which(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(d => Path.Combine(d, program)).FirstOrDefault(File.Exists);

    private static async Task RunAsync(string program, string[] args, Dictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(program, args) { WorkingDirectory = Chart.Root, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (key, value) in environment ?? [])
            start.Environment[key] = value;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{program} {string.Join(' ', args)} failed:\n{await stdout}\n{await stderr}");
    }
}
