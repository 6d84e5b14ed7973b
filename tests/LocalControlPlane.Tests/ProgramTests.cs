using System.Diagnostics;

namespace CallImport.LocalControlPlane.Tests;

/// <summary>The command people run (make local-cluster): ready line, kubeconfig, clean stop on SIGTERM.</summary>
public sealed class ProgramTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("plane-program-").FullName;

    [Fact]
    public async Task Start_PrintsReadyAndWritesKubeconfig_AndSigtermStopsItCleanly()
    {
        var kubeconfig = Path.Combine(directory, "nested", "kubeconfig");
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "LocalControlPlane.dll"));
        info.ArgumentList.Add("--port");
        info.ArgumentList.Add("0");
        info.Environment["KUBECONFIG_OUT"] = kubeconfig;
        using var process = Process.Start(info)!;
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            var ready = await process.StandardOutput.ReadLineAsync(timeout.Token);
            Assert.NotNull(ready);
            Assert.StartsWith("local control plane ready at http://127.0.0.1:", ready, StringComparison.Ordinal);
            var url = ready.Split(' ')[5];
            using var http = new HttpClient();
            var version = await http.GetStringAsync(new Uri(new Uri(url), "version"), timeout.Token);
            Assert.Contains("\"minor\":\"32\"", version, StringComparison.Ordinal);
            Assert.Contains($"server: {url.TrimEnd('/')}", await File.ReadAllTextAsync(kubeconfig, timeout.Token), StringComparison.Ordinal);

            Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!.WaitForExit();
            await process.WaitForExitAsync(timeout.Token);

            Assert.Equal(0, process.ExitCode);
        }
        finally
        {
            if (!process.HasExited) process.Kill();
        }
    }

    public void Dispose() => Directory.Delete(directory, recursive: true);
}
