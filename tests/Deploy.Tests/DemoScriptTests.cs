using System.Diagnostics;

namespace CallImport.Deploy.Tests;

/// <summary><c>DEMO_KEEP=1 make demo</c> stops at once on SIGTERM, as on Ctrl-C (its cleanup trap runs).</summary>
public sealed class DemoScriptTests
{
    [Fact]
    public async Task KeepRunning_SigTerm_RunsTheTrapAtOnce()
    {
        var demo = Path.Combine(Chart.Root, "scripts", "demo.sh");
        // The script's own keep_running, under a trap like the script's (its cleanup also stops the background sleep).
        const string Harness = """
            set -euo pipefail
            eval "$(sed -n '/^keep_running() {/,/^}/p' "$1")"
            trap 'kill "$KEEP_SLEEP" 2>/dev/null || true; echo trapped; exit 130' INT TERM
            echo ready
            keep_running
            """;
        var start = new ProcessStartInfo("bash", ["-c", Harness, "harness", demo])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var bash = Process.Start(start)!;
        Assert.Equal("ready", await bash.StandardOutput.ReadLineAsync());
        await Task.Delay(200); // into the wait

        Process.Start("kill", ["-TERM", bash.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!.WaitForExit();

        // Generous: the old foreground sleep held the signal for an hour, not seconds.
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await bash.WaitForExitAsync(patience.Token);
        Assert.Equal(130, bash.ExitCode);
        Assert.Equal("trapped", (await bash.StandardOutput.ReadToEndAsync()).Trim());
    }
}
