using System.Runtime.InteropServices;

namespace CallImport.Testing;

/// <summary>Ctrl-C or SIGTERM, for the standalone tools: completes once either arrives.</summary>
public sealed class StopSignal : IDisposable
{
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly PosixSignalRegistration _sigterm;

    public StopSignal()
    {
        Console.CancelKeyPress += OnCancelKeyPress;
        _sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c =>
        {
            c.Cancel = true;
            _stopped.TrySetResult();
        });
    }

    public Task Stopped => _stopped.Task;

    private void OnCancelKeyPress(object? sender, ConsoleCancelEventArgs e)
    {
        e.Cancel = true;
        _stopped.TrySetResult();
    }

    public void Dispose()
    {
        Console.CancelKeyPress -= OnCancelKeyPress;
        _sigterm.Dispose();
    }
}
