using System.Threading.RateLimiting;

namespace CallImport.ImportRunner.Limits;

/// <summary>
/// The requests-per-second limit for one platform credential, additive-increase / multiplicative-decrease:
/// a 429 halves the rate (never below a tenth of the declared one), each success raises it by a fiftieth of
/// the declared rate, so it climbs back over about fifty good requests and never passes the ceiling.
/// </summary>
public sealed class AdaptiveRequestRate : IDisposable
{
    /// <summary>An undeclared limit still needs a number to halve from when the vendor throttles.</summary>
    private const double UnlimitedStandIn = 1000;
    private readonly object _gate = new();
    private readonly double _ceiling;
    private readonly double _floor;
    private readonly double _step;
    private RateLimiter? _limiter;
    private double _limiterRate;
    private double _current;

    public AdaptiveRequestRate(double requestsPerSecond)
    {
        _ceiling = double.IsPositiveInfinity(requestsPerSecond) ? UnlimitedStandIn : requestsPerSecond;
        _floor = _ceiling / 10;
        _step = _ceiling / 50;
        _current = _ceiling;
        Rebuild(double.IsPositiveInfinity(requestsPerSecond));
    }

    /// <summary>The rate now in force (requests per second; +∞ while an undeclared limit was never hit).</summary>
    public double Current { get { lock (_gate) return _limiter is null ? double.PositiveInfinity : _current; } }

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

    /// <summary>The vendor said 429: halve the rate, not below the floor.</summary>
    public void OnThrottled()
    {
        lock (_gate)
        {
            Throttles++;
            _current = Math.Max(_floor, _current / 2);
            Rebuild(unlimited: false);
        }
    }

    /// <summary>A request succeeded: raise the rate one step towards the ceiling.</summary>
    public void OnSuccess()
    {
        lock (_gate)
        {
            if (_limiter is null || _current >= _ceiling) return;
            _current = Math.Min(_ceiling, _current + _step);
            // Replacing the limiter wakes its waiters; only do it when the change is worth it.
            if (_current >= _ceiling || _current >= _limiterRate * 1.1) Rebuild(unlimited: false);
        }
    }

    private void Rebuild(bool unlimited)
    {
        var old = _limiter;
        _limiterRate = _current;
        _limiter = unlimited ? null : new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            // One token per period and a bucket of one: requests are spaced, never bursted past the vendor's limit.
            TokenLimit = 1,
            TokensPerPeriod = 1,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1 / _current),
            QueueLimit = int.MaxValue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            AutoReplenishment = true,
        });
        old?.Dispose();
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _limiter?.Dispose();
            _limiter = null;
        }
    }
}
