using System.Diagnostics;

namespace CallImport.Operator.Tests.Monitoring;

/// <summary>
/// A Debian tool the monitoring tests run (promtool and prometheus from package <c>prometheus</c>, <c>lua5.4</c>);
/// .ci/run installs them. Missing on a developer machine: the test is skipped with the install command; under CI
/// (CI=true) it fails instead, so a CI run never passes without them.
/// </summary>
internal static class MonitoringTool
{
    public static string Require(string name, string package)
    {
        var path = Find(name);
        if (path is null && IsCi)
            Assert.Fail($"{name} is missing under CI: .ci/run installs it (apt-get install -y {package}).");
        Skip.If(path is null, $"{name} is not installed: apt-get install -y {package} (.ci/run does).");
        return path!;
    }

    private static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    private static string? Find(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);

    public static async Task<(int ExitCode, string Output)> RunAsync(string binary, string workingDirectory, string? stdin, params string[] arguments)
    {
        var start = new ProcessStartInfo(binary)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin is not null,
        };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
            process.StandardInput.Close();
        }
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }
}
