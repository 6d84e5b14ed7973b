using System.Threading.RateLimiting;

namespace CallImport.ImportRunner.Limits;

/// <summary>
/// The requests-per-second limit for one platform credential. Halves its rate when the vendor answers 429
/// and raises it again slowly (10% after every 20 successes) up to the declared ceiling.
/// </summary>
public sealed class AdaptiveRequestRate : IDisposable
{
    private const int SuccessesBeforeRaise = 20;
    private readonly object _gate = new();
    private readonly double _ceiling;
    private readonly double _floor;
    private RateLimiter? _limiter;
    private double _current;
    private int _successes;

    public AdaptiveRequestRate(double requestsPerSecond)
    {
        _ceiling = requestsPerSecond;
        _floor = double.IsPositiveInfinity(requestsPerSecond) ? 0.05 : Math.Min(requestsPerSecond, 0.05);
        _current = requestsPerSecond;
        _limiter = Build(requestsPerSecond);
    }

    /// <summary>The rate now in force (requests per second).</summary>
    public double Current { get { lock (_gate) return _current; } }

    /// <summary>How many times the rate was lowered because of 429s.</summary>
    public int Throttles { get; private set; }

    /// <summary>Waits until a request may go. Returns how long it waited.</summary>
    public async ValueTask<TimeSpan> WaitAsync(CancellationToken cancellationToken)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        while (true)
        {
            RateLimiter? limiter;
            lock (_gate) limiter = _limiter;
            if (limiter is null) return TimeSpan.Zero;
            try
            {
                using var lease = await limiter.AcquireAsync(1, cancellationToken);
                if (lease.IsAcquired) return System.Diagnostics.Stopwatch.GetElapsedTime(started);
            }
            catch (ObjectDisposedException)
            {
                // The rate changed while we waited: wait on the new limiter.
            }
        }
    }

    /// <summary>The vendor said 429: halve the rate (never below the floor).</summary>
    public void OnThrottled()
    {
        lock (_gate)
        {
            Throttles++;
            _successes = 0;
            var start = double.IsPositiveInfinity(_current) ? 10 : _current;
            Replace(Math.Max(_floor, start / 2));
        }
    }

    /// <summary>A request succeeded: after enough in a row, raise the rate by 10% towards the ceiling.</summary>
    public void OnSuccess()
    {
        lock (_gate)
        {
            if (_current >= _ceiling || ++_successes < SuccessesBeforeRaise) return;
            _successes = 0;
            var raised = _current * 1.1;
            Replace(raised >= _ceiling || double.IsPositiveInfinity(_ceiling) && raised > 1000 ? _ceiling : raised);
        }
    }

    private void Replace(double rate)
    {
        var old = _limiter;
        _current = rate;
        _limiter = Build(rate);
        old?.Dispose();
    }

    private static TokenBucketRateLimiter? Build(double requestsPerSecond) =>
        double.IsPositiveInfinity(requestsPerSecond) ? null : new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            // One token per period and a bucket of one: requests are spaced, never bursted past the vendor's limit.
            TokenLimit = 1,
            TokensPerPeriod = 1,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1 / requestsPerSecond),
            QueueLimit = int.MaxValue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            AutoReplenishment = true,
        });

    public void Dispose()
    {
        lock (_gate)
        {
            _limiter?.Dispose();
            _limiter = null;
        }
    }
}
