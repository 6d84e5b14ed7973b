using CallImport.LocalControlPlane.Kubelet;
using CallImport.Testing;
using CallImport.Testing.Postgres;
using k8s;
using k8s.Models;

namespace CallImport.Operator.Tests.EndToEnd;

/// <summary>
/// Shared by every end-to-end test: one local control plane with its kubelet (runner pods are real ImportRunner
/// processes), the ImportJob CRD applied, and one PostgreSQL database. Tests isolate themselves by namespace
/// and customer id.
/// </summary>
public sealed class ControlPlaneFixture : IAsyncLifetime
{
    public const string RunnerImage = "callimport/import-runner:e2e";

    private readonly string _root = Directory.CreateTempSubdirectory("operator-e2e-").FullName;
    private LocalControlPlane.LocalControlPlane? _plane;

    public LocalControlPlane.LocalControlPlane Plane => _plane ?? throw new InvalidOperationException("not started");

    public IKubernetes Client { get; private set; } = null!;

    public string KubeconfigPath => Path.Combine(_root, "kubeconfig");

    public string DatabaseConnectionString { get; private set; } = "";

    public string Root => _root;

    public async Task InitializeAsync()
    {
        var postgres = await PostgresServer.SharedAsync();
        DatabaseConnectionString = await postgres.CreateDatabaseAsync("operator_e2e");

        var kubelet = new KubeletOptions { WorkRoot = Path.Combine(_root, "kubelet"), ResyncPeriod = TimeSpan.FromSeconds(1) };
        kubelet.ImageCommands["callimport/import-runner"] = RunnerCommand();
        _plane = await LocalControlPlane.LocalControlPlane.StartAsync(new LocalControlPlane.LocalControlPlaneOptions
        {
            Port = 0,
            Components = [new KubeletComponent(kubelet)],
        });
        _plane.WriteKubeconfig(KubeconfigPath);
        Client = new Kubernetes(new KubernetesClientConfiguration { Host = _plane.Url.ToString() });
        var crd = KubernetesYaml.Deserialize<V1CustomResourceDefinition>(await File.ReadAllTextAsync(RepositoryFile("config/crd/importjobs.callimport.io.yaml")));
        await Client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(crd);
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        if (_plane is not null)
            await _plane.DisposeAsync();
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // A runner still exiting; the temp directory goes with the machine.
        }
    }

    /// <summary>
    /// The runner pods' program: the ImportRunner as the image holds it (native AOT, <see cref="PublishedRunner"/>),
    /// or with <c>CALLIMPORT_TEST_RUNNER=jit</c> its build output run by <c>dotnet</c>.
    /// </summary>
    private static string[] RunnerCommand() =>
        Environment.GetEnvironmentVariable(PublishedRunner.OverrideVariable) == "jit" ? ["dotnet", RunnerAssembly()] : [PublishedRunner.ProgramPath];

    /// <summary>
    /// The ImportRunner in its own build output, same configuration as the tests (the project reference builds it).
    /// Not the copy beside the tests: that folder resolves assemblies for the tests, not for the runner.
    /// </summary>
    private static string RunnerAssembly()
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd('/')).Parent!.Name;
        var path = RepositoryFile($"src/ImportRunner/bin/{configuration}/net10.0/ImportRunner.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException("Build the ImportRunner (the test project does).", path);
    }

    public static string RepositoryFile(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CallImport.sln")))
                return Path.Combine(dir.FullName, relative);
        }
        throw new DirectoryNotFoundException("The repository root (CallImport.sln) is not above the test binaries.");
    }
}

[CollectionDefinition(Name)]
public sealed class EndToEndCollection : ICollectionFixture<ControlPlaneFixture>
{
    public const string Name = "Operator end to end";
}
