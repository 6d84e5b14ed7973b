using System.Diagnostics;
using CallImport.Testing.Fakes.Grain;

namespace CallImport.ImportRunner.Tests.Platforms;

/// <summary>
/// A standalone fake (<c>CallImport.Testing &lt;vendor&gt;-fake …</c>) as a real process, as a demo runs it: its
/// printed lines, then Ctrl-C and a clean exit. Killed on dispose if a test ended before it did.
/// </summary>
internal sealed class FakeProcess : IDisposable
{
    private readonly Process _process;
    private readonly CancellationTokenSource _timeout = new(TimeSpan.FromSeconds(60));

    private FakeProcess(Process process) => _process = process;

    /// <summary>Ends every wait of the test: a fake that hangs fails it instead of stalling the suite.</summary>
    public CancellationToken Timeout => _timeout.Token;

    public static FakeProcess Start(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(typeof(GrainFake).Assembly.Location); // every fake lives in the CallImport.Testing program
        foreach (var arg in args) start.ArgumentList.Add(arg);
        return new FakeProcess(Process.Start(start)!);
    }

    /// <summary>The next line the fake printed.</summary>
    public async Task<string> ReadLineAsync() =>
        await _process.StandardOutput.ReadLineAsync(Timeout) ?? throw new InvalidOperationException($"the fake closed its output: {await _process.StandardError.ReadToEndAsync(Timeout)}");

    /// <summary>Ctrl-C, as a person stops the demo: the fake must exit 0.</summary>
    public async Task InterruptAsync()
    {
        using var interrupt = Process.Start("kill", ["-INT", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await _process.WaitForExitAsync(Timeout);
        Assert.Equal(0, _process.ExitCode);
    }

    /// <summary>For a fake that refuses its command line: its exit code and what it printed on stderr.</summary>
    public async Task<(int ExitCode, string Error)> ExitAsync()
    {
        var error = await _process.StandardError.ReadToEndAsync(Timeout);
        await _process.WaitForExitAsync(Timeout);
        return (_process.ExitCode, error);
    }

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill();
        _process.Dispose();
        _timeout.Dispose();
    }
}
