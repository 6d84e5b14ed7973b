using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using CallImport.LocalControlPlane;
using CallImport.Store;
using CallImport.Testing.Postgres;
using k8s;
using k8s.Models;
using Npgsql;

namespace CallImport.Benchmarks;

/// <summary>
/// Target 6 of the performance issue: the operator (a separate process, as deployed) against the local control plane
/// with many ImportJobs. Counts the operator's API requests at the server (per ImportJob, for 50/200/1,000 with runs
/// capped: the figure must not grow with N), create → runner Job latency with caps out of the way, the operator's
/// peak RSS and its requests per minute when nothing changes. The benchmark plays the kubelet: a runner Job it sees
/// becomes a run that found nothing to import (recorded in the store, Job marked Complete), so no runner process
/// takes the machine's two cores away from the operator.
/// </summary>
internal static class OperatorAtScale
{
    private const string BenchAgent = "callimport-bench";
    private const int Customers = 10;

    public sealed record Figure(string Name, double Value, string Unit, string Target);

    public static async Task<IReadOnlyList<Figure>> RunAsync(IReadOnlyList<int> sizes, int cap, int latencyN, TimeSpan idle)
    {
        Console.WriteLine($"Operator at scale — runs capped at {cap} (requests per ImportJob), then {latencyN} uncapped (latency, RSS, idle)");
        var figures = new List<Figure>();
        var operatorRequests = 0L;
        await using var postgres = await PostgresServer.StartAsync();
        var database = await postgres.CreateDatabaseAsync("operator_bench");
        await using var plane = await LocalControlPlane.LocalControlPlane.StartAsync(new LocalControlPlaneOptions
        {
            Port = 0,
            WatchHistorySize = 20_000,
            RequestObserved = request =>
            {
                if (!request.Headers.UserAgent.ToString().Contains(BenchAgent, StringComparison.Ordinal))
                    Interlocked.Increment(ref operatorRequests);
            },
        });
        var root = Directory.CreateTempSubdirectory("operator-bench-").FullName;
        var kubeconfig = Path.Combine(root, "kubeconfig");
        plane.WriteKubeconfig(kubeconfig);
        using var client = new Kubernetes(new KubernetesClientConfiguration { Host = plane.Url.ToString() }, new BenchAgentHandler());
        var crd = KubernetesYaml.Deserialize<V1CustomResourceDefinition>(await File.ReadAllTextAsync(RepositoryFile("config/crd/importjobs.callimport.io.yaml")));
        await client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(crd);
        await using var dataSource = NpgsqlDataSource.Create(database);
        var store = new ImportStore(dataSource, TimeProvider.System);

        try
        {
            foreach (var n in sizes)
            {
                if (!await Finishes(async () => {
                var run = await RunOnceAsync(client, store, kubeconfig, database, $"capped-{n}", n, cap, TimeSpan.Zero, () => Interlocked.Read(ref operatorRequests));
                Console.WriteLine($"  N = {n,5}: {run.RequestsPerImportJob,6:0.0} API requests per ImportJob (create → Completed), {run.Elapsed.TotalSeconds,5:0.0} s, operator peak RSS {run.PeakRssMiB,5:0} MiB");
                figures.Add(new Figure($"operator API requests per ImportJob, N={n}, runs capped at {cap}", run.RequestsPerImportJob, "requests", "flat in N"));
                }, $"N = {n}"))
                    return figures;
            }

            await Finishes(async () =>
            {
            var wide = await RunOnceAsync(client, store, kubeconfig, database, "uncapped", latencyN, latencyN * 2, idle, () => Interlocked.Read(ref operatorRequests));
            Console.WriteLine($"  N = {latencyN,5} uncapped, created at once: create → runner Job p50 {wide.P50Ms:0} ms, p99 {wide.P99Ms:0} ms, all {wide.Elapsed.TotalSeconds:0.0} s; "
                              + $"then {PacedImportJobs} more, one every {PacedInterval.TotalMilliseconds:0} ms: p50 {wide.PacedP50Ms:0} ms, p99 {wide.PacedP99Ms:0} ms (target p99 < 1000 ms); "
                              + $"{wide.RequestsPerImportJob:0.0} requests per ImportJob; peak RSS {wide.PeakRssMiB:0} MiB (target < 250); "
                              + $"idle {wide.IdleRequestsPerMinute:0.0} requests/min");
            figures.Add(new Figure($"burst of {latencyN} created at once: create → runner Job p50", wide.P50Ms, "ms", "queueing: bound by reconcile throughput"));
            figures.Add(new Figure($"burst of {latencyN} created at once: create → runner Job p99", wide.P99Ms, "ms", "≈ time to drain the burst"));
            figures.Add(new Figure($"burst of {latencyN} created at once: all Completed", wide.Elapsed.TotalSeconds, "s", ""));
            figures.Add(new Figure($"{PacedImportJobs} created one every {PacedInterval.TotalMilliseconds:0} ms beside {latencyN}: create → runner Job p50", wide.PacedP50Ms, "ms", ""));
            figures.Add(new Figure($"{PacedImportJobs} created one every {PacedInterval.TotalMilliseconds:0} ms beside {latencyN}: create → runner Job p99", wide.PacedP99Ms, "ms", "< 1000"));
            figures.Add(new Figure($"operator peak RSS, N={latencyN}", wide.PeakRssMiB, "MiB", "< 250"));
            figures.Add(new Figure($"operator API requests per minute when idle, N={latencyN}", wide.IdleRequestsPerMinute, "requests/min", "flat in N: the Lease renewal alone is 60 (GET + PUT every 2 s)"));
            }, $"N = {latencyN} uncapped");
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
        return figures;
    }

    /// <summary>Runs one measurement; on a machine too busy to finish it in time, says so instead of failing the whole bench.</summary>
    private static async Task<bool> Finishes(Func<Task> measurement, string what)
    {
        try
        {
            await measurement();
            return true;
        }
        catch (TimeoutException e)
        {
            Console.WriteLine($"  {what}: not finished ({e.Message}); the larger sizes are skipped");
            return false;
        }
    }

    private sealed record Run(double RequestsPerImportJob, TimeSpan Elapsed, double PeakRssMiB, double P50Ms, double P99Ms, double IdleRequestsPerMinute,
        double PacedP50Ms = double.NaN, double PacedP99Ms = double.NaN);

    /// <summary>After the burst: ImportJobs created one at a time, as support engineers apply them, beside the existing ones.</summary>
    private const int PacedImportJobs = 100;
    private static readonly TimeSpan PacedInterval = TimeSpan.FromMilliseconds(200);

    private static async Task<Run> RunOnceAsync(Kubernetes client, ImportStore store, string kubeconfig, string database, string ns, int n, int cap,
        TimeSpan idle, Func<long> requests)
    {
        await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = ns } });
        await client.CoreV1.CreateNamespacedSecretAsync(new V1Secret
        {
            Metadata = new V1ObjectMeta { Name = "grain-credentials" },
            StringData = new Dictionary<string, string> { ["apiKey"] = "bench-not-a-real-key" },
        }, ns);

        using var stop = new CancellationTokenSource();
        var created = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
        var latencies = new ConcurrentBag<double>();
        var kubelet = PlayKubeletAsync(client, store, ns, created, latencies, stop.Token);
        using var process = StartOperator(kubeconfig, database, ns, cap);
        var before = requests();
        var started = Stopwatch.GetTimestamp();
        try
        {
            for (var i = 0; i < n; i++)
            {
                var name = $"ij-{i:D4}";
                created[name] = Stopwatch.GetTimestamp();
                await client.CustomObjects.CreateNamespacedCustomObjectAsync(ImportJob(name, $"customer-{i % Customers}"), "callimport.io", "v1alpha1", ns, "importjobs");
            }
            await WaitAllCompletedAsync(client, ns, n, process);
            var elapsed = Stopwatch.GetElapsedTime(started);
            var perImportJob = (requests() - before) / (double)n;

            var idlePerMinute = 0.0;
            if (idle > TimeSpan.Zero)
            {
                var quietFrom = requests();
                await Task.Delay(idle);
                idlePerMinute = (requests() - quietFrom) / idle.TotalMinutes;
            }
            var sorted = latencies.Order().ToList();
            var (pacedP50, pacedP99) = (double.NaN, double.NaN);
            if (idle > TimeSpan.Zero)
            {
                latencies.Clear();
                for (var i = 0; i < PacedImportJobs; i++)
                {
                    var name = $"paced-{i:D4}";
                    created[name] = Stopwatch.GetTimestamp();
                    await client.CustomObjects.CreateNamespacedCustomObjectAsync(ImportJob(name, $"customer-{i % Customers}"), "callimport.io", "v1alpha1", ns, "importjobs");
                    await Task.Delay(PacedInterval);
                }
                await WaitAllCompletedAsync(client, ns, n + PacedImportJobs, process);
                var paced = latencies.Order().ToList();
                (pacedP50, pacedP99) = (Percentile(paced, 0.50), Percentile(paced, 0.99));
            }
            var rss = PeakRssMiB(process);
            return new Run(perImportJob, elapsed, rss, Percentile(sorted, 0.50), Percentile(sorted, 0.99), idlePerMinute, pacedP50, pacedP99);
        }
        finally
        {
            await stop.CancelAsync();
            await kubelet;
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
        }
    }

    private static object ImportJob(string name, string customer) => new Dictionary<string, object>
    {
        ["apiVersion"] = "callimport.io/v1alpha1",
        ["kind"] = "ImportJob",
        ["metadata"] = new Dictionary<string, object> { ["name"] = name },
        ["spec"] = new Dictionary<string, object>
        {
            ["customerId"] = customer,
            ["platform"] = "grain",
            ["credentialsSecretRef"] = new Dictionary<string, object> { ["name"] = "grain-credentials" },
            ["credentialsPolicy"] = "Retain",
            ["dateRange"] = new Dictionary<string, object> { ["start"] = "2026-01-01T00:00:00Z", ["end"] = "2026-02-01T00:00:00Z" },
        },
    };

    /// <summary>Each new runner Job: latency recorded, an empty import recorded in the store, the Job marked Complete.</summary>
    private static async Task PlayKubeletAsync(Kubernetes client, ImportStore store, string ns, ConcurrentDictionary<string, long> created,
        ConcurrentBag<double> latencies, CancellationToken stop)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var resourceVersion = (await client.BatchV1.ListNamespacedJobAsync(ns, cancellationToken: stop)).Metadata.ResourceVersion;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await foreach (var (type, job) in client.BatchV1.WatchListNamespacedJobAsync(ns, resourceVersion: resourceVersion, timeoutSeconds: 60, cancellationToken: stop))
                {
                    resourceVersion = job.Metadata.ResourceVersion;
                    if (type != WatchEventType.Added || !seen.Add(job.Metadata.Name))
                        continue;
                    var owner = job.Metadata.OwnerReferences?.FirstOrDefault();
                    if (owner is null)
                        continue;
                    if (created.TryRemove(owner.Name, out var at))
                        latencies.Add(Stopwatch.GetElapsedTime(at).TotalMilliseconds);
                    await store.EnsureImportAsync(new ImportDefinition(owner.Uid, "bench", "grain", DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddDays(1)), stop);
                    await store.MarkListingCompleteAsync(owner.Uid, stop);
                    var now = DateTime.UtcNow;
                    var status = new V1Job
                    {
                        Status = new V1JobStatus
                        {
                            StartTime = now,
                            CompletionTime = now,
                            Succeeded = 1,
                            Conditions = [new V1JobCondition { Type = "SuccessCriteriaMet", Status = "True" }, new V1JobCondition { Type = "Complete", Status = "True" }],
                        },
                    };
                    await client.BatchV1.PatchNamespacedJobStatusAsync(new V1Patch(KubernetesJson.Serialize(status), V1Patch.PatchType.MergePatch), job.Metadata.Name, ns, cancellationToken: stop);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (HttpRequestException)
            {
                // The watch ended: watch again from where it was.
            }
        }
    }

    private static async Task WaitAllCompletedAsync(Kubernetes client, string ns, int n, Process process)
    {
        var deadline = Stopwatch.GetTimestamp() + Stopwatch.Frequency * 600;
        while (Stopwatch.GetTimestamp() < deadline)
        {
            if (process.HasExited)
                throw new InvalidOperationException($"The operator exited with code {process.ExitCode}: {string.Join(Environment.NewLine, LastLines)}");
            var list = (System.Text.Json.JsonElement)await client.CustomObjects.ListNamespacedCustomObjectAsync("callimport.io", "v1alpha1", ns, "importjobs");
            var completed = list.GetProperty("items").EnumerateArray()
                .Count(i => i.TryGetProperty("status", out var s) && s.TryGetProperty("phase", out var p) && p.GetString() == "Completed");
            if (completed == n)
                return;
            await Task.Delay(500);
        }
        throw new TimeoutException($"Not every ImportJob in {ns} completed within 10 minutes.");
    }

    private static Process StartOperator(string kubeconfig, string database, string ns, int cap)
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "Operator.dll")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var settings = new Dictionary<string, string>
        {
            ["Kubeconfig"] = kubeconfig,
            ["WatchNamespace"] = ns,
            ["LeaseNamespace"] = ns,
            ["Identity"] = "bench",
            ["HttpPort"] = "0",
            ["DatabaseConnectionString"] = database,
            ["RunnerDatabaseConnectionString"] = database,
            ["RunnerImage"] = "callimport/import-runner:bench",
            ["DefaultWindowStart"] = "00:00",
            ["DefaultWindowEnd"] = "00:00",
            ["MaxConcurrentRuns"] = cap.ToString(CultureInfo.InvariantCulture),
            ["MaxConcurrentRunsPerCustomer"] = cap.ToString(CultureInfo.InvariantCulture),
            ["MaxConcurrentRunsPerPlatform"] = cap.ToString(CultureInfo.InvariantCulture),
            // A busy shared machine can starve the renewals: a lost lead would end the measurement, not the test of it.
            ["LeaseDuration"] = "00:01:00",
            ["LeaseRenewDeadline"] = "00:00:45",
            ["LeaseRetryPeriod"] = "00:00:02",
            ["LogFormat"] = "text",
            ["LogLevel"] = "Warning",
        };
        foreach (var (key, value) in settings)
            start.Environment[$"Operator__{key}"] = value;
        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the operator.");
        process.OutputDataReceived += (_, e) => Remember(e.Data);
        process.ErrorDataReceived += (_, e) => Remember(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static readonly ConcurrentQueue<string> LastLines = new();

    private static void Remember(string? line)
    {
        if (line is null)
            return;
        LastLines.Enqueue(line);
        while (LastLines.Count > 20)
            LastLines.TryDequeue(out _);
    }

    /// <summary>VmHWM: the process's peak resident set, as the kernel counts it.</summary>
    private static double PeakRssMiB(Process process)
    {
        foreach (var line in File.ReadLines($"/proc/{process.Id}/status"))
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
        return double.NaN;
    }

    private static double Percentile(IReadOnlyList<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

    private static string RepositoryFile(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "CallImport.sln")))
                return Path.Combine(dir.FullName, relative);
        throw new FileNotFoundException($"{relative} (no CallImport.sln above {AppContext.BaseDirectory})");
    }

    /// <summary>Marks the benchmark's own requests, so that the server counts only the operator's.</summary>
    private sealed class BenchAgentHandler : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.Headers.UserAgent.Clear();
            request.Headers.UserAgent.Add(new ProductInfoHeaderValue(BenchAgent, "1"));
            return base.SendAsync(request, cancellationToken);
        }
    }
}
