using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using DotNet.Testcontainers.Configurations;
using Npgsql;
using Testcontainers.PostgreSql;

namespace CallImport.Testing.Postgres;

/// <summary>
/// A real PostgreSQL server for tests and the demo, one per process: the server named by
/// <c>CALLIMPORT_TEST_POSTGRES</c> when set, a Testcontainers one where a Docker engine exists,
/// else the machine's own PostgreSQL binaries started on loopback in a temp directory.
/// Each test class takes a database of its own with <see cref="CreateDatabaseAsync"/>.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    public const string ConnectionVariable = "CALLIMPORT_TEST_POSTGRES";
    private static readonly SemaphoreSlim SharedLock = new(1, 1);
    private static PostgresServer? _shared;

    private readonly Func<ValueTask> _stop;

    private PostgresServer(string adminConnectionString, string description, Func<ValueTask> stop)
    {
        AdminConnectionString = adminConnectionString;
        Description = description;
        _stop = stop;
    }

    public string AdminConnectionString { get; }
    public string Description { get; }

    /// <summary>Stops and starts the server again on the same port and data (an outage); null where the server is not ours to stop.</summary>
    public (Func<Task> Stop, Func<Task> Start)? Outage { get; private init; }

    /// <summary>The process-wide server, started on first use and stopped when the process exits.</summary>
    public static async Task<PostgresServer> SharedAsync()
    {
        await SharedLock.WaitAsync();
        try
        {
            if (_shared is not null) return _shared;
            var server = await StartAsync();
            AppDomain.CurrentDomain.ProcessExit += (_, _) => server.DisposeAsync().AsTask().GetAwaiter().GetResult();
            return _shared = server;
        }
        finally
        {
            SharedLock.Release();
        }
    }

    /// <summary>A server of the caller's own; <paramref name="settings"/> (<c>name=value</c>) apply to a local one only.</summary>
    public static async Task<PostgresServer> StartAsync(IReadOnlyList<string>? settings = null)
    {
        if (settings is not null) return await LocalPostgres.StartAsync(settings);
        if (Environment.GetEnvironmentVariable(ConnectionVariable) is { Length: > 0 } given)
            return new PostgresServer(given, "given by " + ConnectionVariable, () => ValueTask.CompletedTask);
        if (TestcontainersSettings.OS.DockerEndpointAuthConfig is not null)
        {
            var container = new PostgreSqlBuilder("postgres:15").Build();
            await container.StartAsync();
            return new PostgresServer(container.GetConnectionString(), "Testcontainers", container.DisposeAsync);
        }
        return await LocalPostgres.StartAsync();
    }

    /// <summary>Creates an empty database and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string prefix)
    {
        var name = $"{prefix.ToLowerInvariant()}_{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 13, 63)];
        await using (var connection = new NpgsqlConnection(AdminConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync();
        }
        return new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = name, Pooling = true }.ConnectionString;
    }

    public ValueTask DisposeAsync() => _stop();

    /// <summary>The machine's PostgreSQL binaries, run as the postgres user when we are root (initdb refuses root).</summary>
    private static class LocalPostgres
    {
        public static async Task<PostgresServer> StartAsync(IReadOnlyList<string>? settings = null)
        {
            var bin = FindBinaries()
                ?? throw new InvalidOperationException("No PostgreSQL binaries found (looked in /usr/lib/postgresql/*/bin). Install them: apt-get install -y postgresql");
            RemoveAbandonedDirectories();
            var dir = Directory.CreateTempSubdirectory(DirectoryPrefix).FullName;
            var asRoot = Environment.UserName == "root";
            if (asRoot) await RunAsync("chown", ["-R", "postgres:postgres", dir]);
            var data = Path.Combine(dir, "data");
            await RunAsync(Path.Combine(bin, "initdb"), ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"], asRoot);
            var port = FreePort();
            string[] arguments =
            [
                "-D", data, "-k", dir, "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-c", "listen_addresses=127.0.0.1",
                "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off", "-c", "max_connections=300",
                .. (settings ?? []).SelectMany(setting => new[] { "-c", setting }),
            ];
            var postgres = StartServer(Path.Combine(bin, "postgres"), arguments, asRoot);
            var connectionString = $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres;Timeout=15";
            await WaitUntilReadyAsync(connectionString, postgres);
            StartWatchdog(dir, data);
            return new PostgresServer(connectionString, $"local PostgreSQL in {dir}", () =>
            {
                try { if (!postgres.HasExited) { postgres.Kill(entireProcessTree: true); postgres.WaitForExit(5000); } }
                catch (InvalidOperationException) { }
                RemoveDirectory(dir);
                return ValueTask.CompletedTask;
            })
            {
                Outage = (
                    async () =>
                    {
                        // A fast shutdown, as a restart or failover does: sessions are ended, the port closes.
                        await RunAsync(Path.Combine(bin, "pg_ctl"), ["stop", "-D", data, "-m", "fast", "-w"], asRoot);
                        await postgres.WaitForExitAsync();
                    },
                    async () =>
                    {
                        postgres = StartServer(Path.Combine(bin, "postgres"), arguments, asRoot);
                        await WaitUntilReadyAsync(connectionString, postgres);
                        StartWatchdog(dir, data);
                    }),
            };
        }

        private const string DirectoryPrefix = "callimport-pg-";

        /// <summary>
        /// A test host killed together with its children leaves its server's directory behind: remove those
        /// whose server is gone (old enough that no starting server can be mistaken for one).
        /// </summary>
        private static void RemoveAbandonedDirectories()
        {
            foreach (var dir in Directory.EnumerateDirectories(Path.GetTempPath(), DirectoryPrefix + "*"))
            {
                if (Directory.GetCreationTimeUtc(dir) > DateTime.UtcNow.AddMinutes(-10)) continue;
                var pidFile = Path.Combine(dir, "data", "postmaster.pid");
                var alive = File.Exists(pidFile) && int.TryParse(File.ReadLines(pidFile).FirstOrDefault(), out var pid) && Directory.Exists($"/proc/{pid}");
                if (!alive) RemoveDirectory(dir);
            }
        }

        /// <summary>The killed server's processes may still be writing for a moment: retry until the directory is gone.</summary>
        private static void RemoveDirectory(string dir)
        {
            for (var attempt = 0; attempt < 50 && Directory.Exists(dir); attempt++)
            {
                try { Directory.Delete(dir, recursive: true); }
                catch (IOException) { Thread.Sleep(100); }
                catch (UnauthorizedAccessException) { Thread.Sleep(100); }
            }
        }

        private static string? FindBinaries() =>
            Directory.Exists("/usr/lib/postgresql")
                ? Directory.GetDirectories("/usr/lib/postgresql")
                    .Select(d => Path.Combine(d, "bin"))
                    .Where(d => File.Exists(Path.Combine(d, "initdb")))
                    .OrderByDescending(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var v) ? v : 0)
                    .FirstOrDefault()
                : null;

        private static int FreePort()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        private static Process StartServer(string file, string[] args, bool asPostgresUser)
        {
            var info = asPostgresUser ? new ProcessStartInfo("runuser") : new ProcessStartInfo(file);
            if (asPostgresUser) foreach (var a in new[] { "-u", "postgres", "--", file }) info.ArgumentList.Add(a);
            foreach (var a in args) info.ArgumentList.Add(a);
            info.RedirectStandardOutput = true;
            info.RedirectStandardError = true;
            info.UseShellExecute = false;
            var process = Process.Start(info)!;
            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            return process;
        }

        /// <summary>
        /// A detached watchdog (its own session, outside this process's tree, so a tree kill of a test host
        /// cannot take it down first): once this process is gone it stops the server and removes its directory.
        /// </summary>
        private static void StartWatchdog(string dir, string data)
        {
            var pidFile = Path.Combine(data, "postmaster.pid");
            for (var i = 0; i < 50 && !File.Exists(pidFile); i++) Thread.Sleep(100);
            if (!File.Exists(pidFile) || !int.TryParse(File.ReadLines(pidFile).FirstOrDefault(), out var server))
                throw new InvalidOperationException($"PostgreSQL answers but wrote no {pidFile}: {string.Join(", ", Directory.GetFileSystemEntries(data).Select(Path.GetFileName))}");
            // A server stopped while this process lives was stopped on purpose (an outage test): leave its files.
            var script = $"while kill -0 {Environment.ProcessId} 2>/dev/null && kill -0 {server} 2>/dev/null; do sleep 1; done; "
                + $"kill -0 {Environment.ProcessId} 2>/dev/null && exit 0; "
                + $"kill -INT {server} 2>/dev/null; i=0; while kill -0 {server} 2>/dev/null && [ $i -lt 20 ]; do sleep 0.5; i=$((i+1)); done; "
                + $"kill -KILL {server} 2>/dev/null; rm -rf '{dir}'";
            var info = new ProcessStartInfo("setsid") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in new[] { "-f", "sh", "-c", script }) info.ArgumentList.Add(a);
            using var launcher = Process.Start(info)!;
            launcher.WaitForExit(5000);
        }

        private static async Task RunAsync(string file, string[] args, bool asPostgresUser = false)
        {
            var info = asPostgresUser ? new ProcessStartInfo("runuser") : new ProcessStartInfo(file);
            if (asPostgresUser) { info.ArgumentList.Add("-u"); info.ArgumentList.Add("postgres"); info.ArgumentList.Add("--"); info.ArgumentList.Add(file); }
            foreach (var a in args) info.ArgumentList.Add(a);
            info.RedirectStandardOutput = true;
            info.RedirectStandardError = true;
            using var process = Process.Start(info)!;
            var stderr = process.StandardError.ReadToEndAsync();
            await process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync();
            if (process.ExitCode != 0)
                throw new InvalidOperationException($"{Path.GetFileName(file)} failed ({process.ExitCode}): {await stderr}");
        }

        private static async Task WaitUntilReadyAsync(string connectionString, Process postgres)
        {
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (true)
            {
                try
                {
                    await using var connection = new NpgsqlConnection(connectionString);
                    await connection.OpenAsync();
                    return;
                }
                catch (NpgsqlException) when (DateTime.UtcNow < deadline && !postgres.HasExited)
                {
                    await Task.Delay(100);
                }
                catch (System.Net.Sockets.SocketException) when (DateTime.UtcNow < deadline && !postgres.HasExited)
                {
                    await Task.Delay(100);
                }
            }
        }
    }
}
