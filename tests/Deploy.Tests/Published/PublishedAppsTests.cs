using System.Net;
using System.Text.Json;
using CallImport.Store;
using CallImport.Testing.Fakes.Gcs;
using CallImport.Testing.Fakes.Grain;
using CallImport.Testing.Postgres;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace CallImport.Deploy.Tests.Published;

/// <summary>
/// What the images do, tried without a container engine: the apps published as the Dockerfiles publish them run as
/// user 65532 with a read-only root filesystem, only /tmp writable and no HOME (see <see cref="Sandbox"/>). The
/// runner imports from the Grain fake into a real PostgreSQL and the GCS-compatible server; the operator starts
/// against the local control plane, answers /readyz, passes the helm test's check and stops cleanly on SIGTERM.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class PublishedAppsTests(PublishedApps apps) : IClassFixture<PublishedApps>, IAsyncLifetime
{
    private static readonly TimeSpan Bound = TimeSpan.FromMinutes(5);

    // Files the pod would get from Kubernetes (a mounted Secret, a kubeconfig), outside /tmp so the sandbox sees them.
    private readonly string _pod = Path.Combine(PublishedApps.Root, "pod-" + Guid.NewGuid().ToString("N")[..8]);

    public Task InitializeAsync()
    {
        Directory.CreateDirectory(_pod);
        return Task.CompletedTask;
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_pod, recursive: true);
        return Task.CompletedTask;
    }

    [SkippableFact]
    public async Task Runner_ImportsFromGrainIntoPostgres_AsUser65532WithAReadOnlyRoot()
    {
        Skip.If(apps.Unavailable is not null, apps.Unavailable);
        var postgres = await PostgresServer.SharedAsync();
        var database = await postgres.CreateDatabaseAsync("published_runner");
        await using (var dataSource = NpgsqlDataSource.Create(database))
            await SchemaMigrations.ApplyAsync(dataSource, NullLogger.Instance, CancellationToken.None); // the operator's job, at its start
        await using var grain = await GrainFake.StartAsync(new GrainFakeOptions { RecordingCount = 6 });
        // The credentials Secret as Kubernetes mounts it: one read-only file per key.
        var credentials = Directory.CreateDirectory(Path.Combine(_pod, "credentials")).FullName;
        foreach (var (key, value) in grain.Credentials)
        {
            var file = Path.Combine(credentials, key);
            await File.WriteAllTextAsync(file, value);
            File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        }

        using var runner = Sandbox.Start(apps.Runner.Environment(new Dictionary<string, string>
        {
            ["CALLIMPORT_DATABASE"] = database,
            ["CALLIMPORT_STORAGE"] = "file:///tmp/media",
            ["CALLIMPORT_PLATFORM_RPS_OVERRIDE"] = "200",
        }), "ImportRunner", "import", "--platform", "grain", "--customer", "acme", "--credentials-dir", credentials,
            "--from", "2026-01-01T00:00:00Z", "--to", "2026-02-01T00:00:00Z", "--internal-domains", "acme.com", "--output", "json");
        var exit = await runner.WaitAsync(Bound);

        Assert.True(exit == 0, $"exit {exit}\n{runner.Stdout}\n{runner.Stderr}");
        var summary = JsonDocument.Parse(runner.Stdout.TrimEnd().Split('\n')[^1]).RootElement;
        Assert.True(summary.GetProperty("processed").GetInt32() == 6, runner.Stdout + runner.Stderr);
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var engagements = new NpgsqlCommand("SELECT count(*) FROM engagements WHERE customer_id = 'acme' AND import_source = 'grain'", connection);
        Assert.Equal(6L, (long)(await engagements.ExecuteScalarAsync())!);
        Assert.DoesNotContain(grain.ApiKey, runner.Stdout + runner.Stderr, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Runner_StreamsManualUploadsToObjectStorage_AsUser65532WithAReadOnlyRoot()
    {
        Skip.If(apps.Unavailable is not null, apps.Unavailable);
        var postgres = await PostgresServer.SharedAsync();
        var database = await postgres.CreateDatabaseAsync("published_manual");
        await using (var dataSource = NpgsqlDataSource.Create(database))
            await SchemaMigrations.ApplyAsync(dataSource, NullLogger.Instance, CancellationToken.None);
        await using var gcs = await GcsFake.StartAsync();
        var upload = Directory.CreateDirectory(Path.Combine(_pod, "upload")).FullName;
        var recordings = new Dictionary<string, byte[]>();
        for (var i = 0; i < 3; i++)
        {
            var bytes = new byte[1024 * 1024 + i];
            new Random(i).NextBytes(bytes);
            recordings[$"call-{i}.m4a"] = bytes;
            await File.WriteAllBytesAsync(Path.Combine(upload, $"call-{i}.m4a"), bytes);
        }
        var credentials = Directory.CreateDirectory(Path.Combine(_pod, "manual-credentials")).FullName;
        await File.WriteAllTextAsync(Path.Combine(credentials, "location"), upload);

        using var runner = Sandbox.Start(apps.Runner.Environment(new Dictionary<string, string>
        {
            ["CALLIMPORT_DATABASE"] = database,
            ["CALLIMPORT_STORAGE"] = "gs://media/calls",
            ["CALLIMPORT_GCS_ENDPOINT"] = gcs.Endpoint,
        }), "ImportRunner", "import", "--platform", "manual", "--customer", "acme", "--credentials-dir", credentials,
            "--from", "2000-01-01T00:00:00Z", "--to", "2100-01-01T00:00:00Z", "--output", "json");
        var exit = await runner.WaitAsync(Bound);

        Assert.True(exit == 0, $"exit {exit}\n{runner.Stdout}\n{runner.Stderr}");
        foreach (var (name, bytes) in recordings)
            Assert.Equal(bytes, gcs.ReadObject("media", $"calls/acme/manual/{name}/recording.m4a"));
    }

    [SkippableFact]
    public async Task Operator_AnswersReadyzAndPassesTheHelmTest_AsUser65532WithAReadOnlyRoot()
    {
        Skip.If(apps.Unavailable is not null, apps.Unavailable);
        var postgres = await PostgresServer.SharedAsync();
        var database = await postgres.CreateDatabaseAsync("published_operator");
        await using var plane = await ControlPlane.StartAsync();
        await plane.InstallCrdAsync();
        await plane.CreateNamespacesAsync("callimport-system", "team-a", "team-b");
        var kubeconfig = Path.Combine(_pod, "kubeconfig");
        File.Copy(plane.KubeconfigPath, kubeconfig);
        File.SetUnixFileMode(kubeconfig, UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        var port = FreePort();

        // The chart's environment for the operator container, with this machine's addresses.
        var chartEnvironment = Chart.OperatorEnvironment(Chart.Render("watchNamespaces: [team-a, team-b]"))
            .Where(e => e.Value is System.Text.Json.Nodes.JsonValue).ToDictionary(e => e.Key, e => (string)e.Value!);
        using var operatorProcess = Sandbox.Start(apps.Operator.Environment(new Dictionary<string, string>(chartEnvironment)
        {
            ["POD_NAME"] = "callimport-0",
            ["POD_NAMESPACE"] = "callimport-system",
            ["Operator__DatabaseConnectionString"] = database,
            ["Operator__HttpPort"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Operator__Kubeconfig"] = kubeconfig,
        }), apps.Operator.Program);

        var readyz = $"http://127.0.0.1:{port}/readyz";
        using var http = new HttpClient();
        await ControlPlane.EventuallyAsync(() => operatorProcess.HasExited || Ok(http, readyz), "/readyz to answer 200");
        if (operatorProcess.HasExited)
            Assert.Fail($"the operator exited {operatorProcess.ExitCode}\n{operatorProcess.Stdout}\n{operatorProcess.Stderr}");
        // Migrations ran (the operator's role owns the schema) and the Lease is held in the release namespace.
        await using (var connection = new NpgsqlConnection(database))
        {
            await connection.OpenAsync();
            await using var tables = new NpgsqlCommand("SELECT count(*) FROM information_schema.tables WHERE table_name = 'engagements'", connection);
            Assert.Equal(1L, (long)(await tables.ExecuteScalarAsync())!);
        }
        var lease = await k8s.CoordinationV1OperationsExtensions.ReadNamespacedLeaseAsync(plane.Client.CoordinationV1, "callimport-operator", "callimport-system");
        Assert.Equal("callimport-0", lease.Spec.HolderIdentity);

        using (var check = Sandbox.Start(apps.Operator.ImageEnvironment, apps.Operator.Program, "check", "--readyz", readyz, "--kubeconfig", kubeconfig))
            Assert.True(await check.WaitAsync(Bound) == 0, check.Stdout + check.Stderr);

        var exit = await operatorProcess.TerminateAsync(Bound);
        Assert.True(exit == 0, $"exit {exit} after SIGTERM\n{operatorProcess.Stderr}");
        Assert.DoesNotContain("Read-only file system", operatorProcess.Stdout + operatorProcess.Stderr, StringComparison.Ordinal);
    }

    private static bool Ok(HttpClient http, string url)
    {
        try
        {
            using var response = http.GetAsync(url).GetAwaiter().GetResult();
            return response.StatusCode == HttpStatusCode.OK;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    private static int FreePort()
    {
        using var socket = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }
}
