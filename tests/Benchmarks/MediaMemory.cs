using CallImport.ImportRunner.Storage;
using CallImport.Testing.Fakes.Gcs;

namespace CallImport.Benchmarks;

/// <summary>
/// Memory while storing one large recording: streamed to local storage and to GCS (the GCS-compatible server
/// on loopback) against the baseline of reading the file whole into memory — a streamed upload's allocations
/// should stay flat while the baseline's grow with the file.
/// </summary>
internal static class MediaMemory
{
    public static async Task RunAsync(int sizeMiB)
    {
        var work = Directory.CreateTempSubdirectory("bench-media-").FullName;
        try
        {
            var source = Path.Combine(work, "big.mp4");
            await using (var file = File.Create(source))
            {
                var chunk = new byte[1024 * 1024];
                for (var i = 0; i < sizeMiB; i++) { Random.Shared.NextBytes(chunk); await file.WriteAsync(chunk); }
            }
            var length = new FileInfo(source).Length;

            var whole = await Measure.RunAsync(async () => { var bytes = await File.ReadAllBytesAsync(source); GC.KeepAlive(bytes); });
            var local = await Measure.RunAsync(async () =>
            {
                await using var stream = File.OpenRead(source);
                await new LocalMediaStorage(Path.Combine(work, "media")).PutAsync("acme/manual/big/recording.mp4", stream, "video/mp4", length, CancellationToken.None);
            });
            await using var gcs = await GcsFake.StartAsync();
            var cloud = await Measure.RunAsync(async () =>
            {
                await using var stream = File.OpenRead(source);
                await GcsMediaStorage.Create("bench", "media", gcs.Endpoint).PutAsync("acme/manual/big/recording.mp4", stream, "video/mp4", length, CancellationToken.None);
            });

            Console.WriteLine($"Media memory: one {sizeMiB} MiB recording");
            Console.WriteLine($"  {"what",-52} {"time",9} {"allocated",12} {"peak working set",18}");
            Row("baseline: File.ReadAllBytes (whole file)", whole);
            Row("LocalMediaStorage.PutAsync (streamed)", local);
            Row("GcsMediaStorage.PutAsync (resumable, 8 MiB chunks)", cloud);
            Console.WriteLine("  (the GCS row includes the in-process GCS-compatible server's own allocations)");
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static void Row(string what, (TimeSpan Elapsed, long Allocated, long Peak) m) =>
        Console.WriteLine($"  {what,-52} {m.Elapsed.TotalSeconds,8:0.00}s {Measure.MiB(m.Allocated),12} {Measure.MiB(m.Peak),18}");
}
