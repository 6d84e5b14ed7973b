using CallImport.ImportRunner.Platforms;
using CallImport.ImportRunner.Processing;
using CallImport.ImportRunner.Storage;
using CallImport.Store;
using CallImport.Testing.Postgres;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace CallImport.Benchmarks;

/// <summary>
/// The whole processor on a manual upload of N recordings into local storage and a real PostgreSQL, against
/// the baseline of copying the same files with File.Copy: what the pipeline's bookkeeping costs per call.
/// </summary>
internal static class PipelineThroughput
{
    private const int FileBytes = 256 * 1024;

    public static async Task RunAsync(int calls)
    {
        var work = Directory.CreateTempSubdirectory("bench-").FullName;
        try
        {
            var upload = Directory.CreateDirectory(Path.Combine(work, "upload")).FullName;
            var buffer = new byte[FileBytes];
            for (var i = 0; i < calls; i++)
            {
                Random.Shared.NextBytes(buffer);
                await File.WriteAllBytesAsync(Path.Combine(upload, $"call-{i:D5}.mp3"), buffer);
            }

            var copies = Directory.CreateDirectory(Path.Combine(work, "copies")).FullName;
            var baseline = await Measure.RunAsync(() =>
            {
                foreach (var file in Directory.EnumerateFiles(upload))
                    File.Copy(file, Path.Combine(copies, Path.GetFileName(file)));
                return Task.CompletedTask;
            });

            var server = await PostgresServer.SharedAsync();
            await using var dataSource = NpgsqlDataSource.Create(await server.CreateDatabaseAsync("bench"));
            await SchemaMigrations.ApplyAsync(dataSource, NullLogger.Instance, CancellationToken.None);
            var results = new List<(int Concurrency, (TimeSpan Elapsed, long Allocated, long Peak) M)>();
            foreach (var concurrency in new[] { 1, 4, 8 })
            {
                var options = new ImportRunOptions
                {
                    ImportId = $"bench-{concurrency}", BatchId = $"bench-{concurrency}", RunId = "bench", CustomerId = $"bench{concurrency}",
                    Platform = "manual", From = DateTimeOffset.MinValue, To = DateTimeOffset.MaxValue, Concurrency = concurrency,
                };
                var context = ImportContextCatalog.Discover().Get("manual").Create(
                    new PlatformCredentials(new Dictionary<string, string> { ["location"] = upload }), new HttpClient(), ImportContextServices.Default);
                var store = new ImportStore(dataSource, TimeProvider.System);
                var storage = new LocalMediaStorage(Path.Combine(work, $"media-{concurrency}"));
                var processor = new CallProcessor(context, storage, store, new MetadataNormaliser([]), options, NullLogger.Instance);
                var run = new ImportRun(context, processor, store, options, new ImportCounters(), TimeProvider.System, NullLogger.Instance);
                var measured = await Measure.RunAsync(async () =>
                {
                    var (summary, _) = await run.RunAsync(CancellationToken.None);
                    if (summary.Processed != calls) throw new InvalidOperationException($"imported {summary.Processed} of {calls}");
                });
                results.Add((concurrency, measured));
            }

            Console.WriteLine($"Pipeline throughput: {calls} recordings of {FileBytes / 1024} KiB, manual upload → local storage + PostgreSQL");
            Console.WriteLine($"  {"what",-34} {"time",9} {"calls/s",9} {"MiB/s",8} {"allocated",12}");
            Row("baseline: File.Copy of the files", baseline.Elapsed, calls, baseline.Allocated);
            foreach (var (concurrency, m) in results)
                Row($"pipeline, concurrency {concurrency}", m.Elapsed, calls, m.Allocated);
            var best = results.MinBy(r => r.M.Elapsed);
            Console.WriteLine($"  per-call overhead over the baseline (best): {(best.M.Elapsed - baseline.Elapsed).TotalMilliseconds / calls:0.00} ms");
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static void Row(string what, TimeSpan elapsed, int calls, long allocated) =>
        Console.WriteLine($"  {what,-34} {elapsed.TotalSeconds,8:0.00}s {calls / elapsed.TotalSeconds,9:0} {calls * (double)FileBytes / 1024 / 1024 / elapsed.TotalSeconds,8:0.0} {Measure.MiB(allocated),12}");
}
