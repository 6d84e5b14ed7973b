using CallImport.ImportRunner.Limits;
using CallImport.ImportRunner.Processing;

namespace CallImport.ImportRunner.Cli;

/// <summary>A live progress line on the terminal (stderr): calls listed, done, failed, and the request rate.</summary>
public sealed class ProgressDisplay(ImportCounters counters, RequestStatistics requests, RequestLimiter limiter, TextWriter terminal) : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;

    public void Start() => _loop = LoopAsync();

    private async Task LoopAsync()
    {
        var lastRequests = 0L;
        var lastTime = DateTime.UtcNow;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                var now = DateTime.UtcNow;
                var made = requests.Requests;
                var perSecond = (made - lastRequests) / Math.Max(0.001, (now - lastTime).TotalSeconds);
                (lastRequests, lastTime) = (made, now);
                Write(perSecond);
            }
        }
        catch (OperationCanceledException) { }
    }

    private void Write(double perSecond)
    {
        var limit = double.IsPositiveInfinity(limiter.CurrentRequestsPerSecond) ? "" : $" (limit {limiter.CurrentRequestsPerSecond:0.##}/s)";
        terminal.Write($"\r\u001b[2Klisted {counters.Listed} · imported {counters.Processed} · skipped {counters.Skipped} · failed {counters.Failed} · retrying {counters.Retried} · in flight {counters.InFlight} · {perSecond:0.#} req/s{limit} · 429s {requests.Throttled}");
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_loop is not null) await _loop;
        Write(0);
        terminal.WriteLine();
        _stop.Dispose();
    }
}
