using CallImport.ImportRunner.Limits;
using CallImport.ImportRunner.Platforms;
using CallImport.Store;
using CallImport.Testing.Fakes.Grain;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace CallImport.ImportRunner.Tests.Limits;

/// <summary>
/// Two runners on one credential against a vendor that lets fewer requests through than declared and says so only by
/// refusing (Grain's fake: 429 + Retry-After above 4 a second, declared 8), on a fake clock, over real HTTP. The first
/// runner's burst leaves together and two of its requests are refused: whichever refusal comes back first, the other
/// refused request is no request the vendor let through. Counted as one, the runner learned 5 and paced every runner on
/// the credential at 5 a window, where the vendor allows 4: the next runner met a 429.
/// </summary>
public sealed class SharedBurstLearningTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);
    private const int VendorLimit = 4;

    [Fact]
    public async Task BurstWithTwoRefusals_LearnsTheVendorsLimit_AndTheNextRunnerMeetsNoRefusal()
    {
        var time = new FakeTimeProvider(Start);
        var group = new LimitGroup("overall", 8, TimeSpan.FromSeconds(1));
        await using var grain = await GrainFake.StartAsync(new GrainFakeOptions
        {
            RecordingCount = 4,
            RateLimit = new GrainFakeRateLimit(VendorLimit, TimeSpan.FromSeconds(1)),
            Time = time,
        });
        var budget = new FakeClockRateWindows(time);
        using var first = new Runner(group, time, budget.ForProcess(), grain);
        using var second = new Runner(group, time, budget.ForProcess(), grain);

        // One request alone at 0 s (the budget also keeps its cold start's spare slot at 0.3 s), then a burst of five at
        // 0.5 s with the clock standing still, leaving together once all five have their slots: the vendor lets three of
        // them through and refuses two.
        await first.SendAsync(1);
        time.Advance(TimeSpan.FromSeconds(0.5));
        first.LeaveTogether(5);
        var burst = first.SendAsync(5);
        await WaitForAsync(() => first.Statistics.Throttled == 2 && first.Store.PacedSlotsAsked >= 2, "the burst's two refusals and their retries' paced slots");

        Assert.Equal(2, grain.Traffic.Responses(429));
        Assert.Equal(VendorLimit, first.Limiter.Group("overall")!.PermitLimit);

        // The second runner starts while the first retries its two: both pace at what the first learned.
        var more = second.SendAsync(6, concurrency: 3);
        await AdvanceUntilAsync(time, Task.WhenAll(burst, more), first, second);

        Assert.Equal(0, second.Statistics.Throttled);
        Assert.Equal(2, first.Statistics.Throttled);
        Assert.Equal(2, grain.Traffic.Responses(429));
        Assert.Equal(1 + 5 + 6, grain.Traffic.Responses(200));
    }

    private static async Task WaitForAsync(Func<bool> condition, string what)
    {
        // Real time, only a guard against a hang: nothing here waits on the fake clock.
        for (var waited = 0; !condition(); waited++)
        {
            if (waited > 30_000) throw new TimeoutException($"never saw {what}");
            await Task.Delay(1);
        }
    }

    /// <summary>
    /// Moves the clock on a millisecond at a time until <paramref name="done"/>, never while a request of a runner is on
    /// its way to the vendor: each reaches it at the fake time it left, as over a quick network.
    /// </summary>
    private static async Task AdvanceUntilAsync(FakeTimeProvider time, Task done, params Runner[] runners)
    {
        for (var steps = 0; !done.IsCompleted; steps++)
        {
            if (steps > 60_000) throw new TimeoutException("the requests never all went");
            if (runners.All(r => r.InFlightCount == 0)) time.Advance(TimeSpan.FromMilliseconds(1));
            await Task.Delay(1);
        }
        await done;
    }

    /// <summary>One runner's HTTP pipeline: its limiter on the shared budget, the retrying handler, the vendor transport.</summary>
    private sealed class Runner : IDisposable
    {
        private readonly GrainFake _grain;
        private readonly InFlight _inFlight;
        private readonly HttpClient _client;

        public Runner(LimitGroup group, FakeTimeProvider time, IRateWindowStore budget, GrainFake grain)
        {
            _grain = grain;
            Store = new PacedAsks(budget);
            Limiter = new RequestLimiter(new PlatformLimits([group]), time, Store);
            _inFlight = new InFlight(VendorTransport.Create());
            var handler = new PlatformRequestHandler(Limiter, null, Statistics, new RequestRetrySettings(), VendorSignals.Default, time, NullLogger.Instance, _inFlight);
            _client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        }

        public RequestLimiter Limiter { get; }
        public RequestStatistics Statistics { get; } = new();
        public PacedAsks Store { get; }
        public int InFlightCount => _inFlight.Count;

        /// <summary>The next <paramref name="count"/> requests wait in the transport for each other, then leave at once.</summary>
        public void LeaveTogether(int count) => _inFlight.LeaveTogether(count);

        /// <summary>Sends <paramref name="count"/> transcript requests, <paramref name="concurrency"/> at a time (all at once by default).</summary>
        public Task SendAsync(int count, int? concurrency = null)
        {
            var next = -1;
            return Task.WhenAll(Enumerable.Range(0, concurrency ?? count).Select(_ => Task.Run(async () =>
            {
                while (Interlocked.Increment(ref next) < count)
                {
                    var recording = _grain.Recordings[next % _grain.Recordings.Count];
                    using var request = new HttpRequestMessage(HttpMethod.Get, $"{_grain.BaseUrl}v2/recordings/{recording.Id}/transcript");
                    request.Headers.Authorization = new("Bearer", _grain.ApiKey);
                    request.Headers.Add("Public-Api-Version", GrainFake.ApiVersion);
                    using var response = await _client.SendAsync(request);
                    Assert.True(response.IsSuccessStatusCode, $"HTTP {(int)response.StatusCode} for {request.RequestUri}");
                }
            })));
        }

        public void Dispose()
        {
            _client.Dispose();
            Limiter.Dispose();
        }
    }

    /// <summary>The transport, counting the requests inside it (left, not yet answered), and holding a burst together.</summary>
    private sealed class InFlight(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        private int _count;
        private int _together;
        private TaskCompletionSource _gathered = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public int Count => Volatile.Read(ref _count);

        public void LeaveTogether(int count)
        {
            _gathered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Volatile.Write(ref _together, count);
        }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _count);
            try
            {
                if (Volatile.Read(ref _together) > 0)
                {
                    // Held here, after the limiter granted the slot and before the request is written: none is answered
                    // (and refused) before all of the burst have their slots.
                    if (Interlocked.Decrement(ref _together) == 0) _gathered.TrySetResult();
                    await _gathered.Task.WaitAsync(cancellationToken);
                }
                return await base.SendAsync(request, cancellationToken);
            }
            finally
            {
                Interlocked.Decrement(ref _count);
            }
        }
    }

    /// <summary>The runner's connection to the shared budget, counting the slots it asked for paced (after a throttle).</summary>
    private sealed class PacedAsks(IRateWindowStore inner) : IRateWindowStore
    {
        private int _paced;
        public int PacedSlotsAsked => Volatile.Read(ref _paced);

        public async Task<RateSlots> ReserveAsync(string group, int permitLimit, TimeSpan window, int count, TimeSpan quietFor, TimeSpan holdFirst, TimeSpan pacedFor,
            IReadOnlyList<RateSlot> unused, CancellationToken cancellationToken)
        {
            var answer = await inner.ReserveAsync(group, permitLimit, window, count, quietFor, holdFirst, pacedFor, unused, cancellationToken);
            if (pacedFor > TimeSpan.Zero) Interlocked.Add(ref _paced, count);
            return answer;
        }
    }
}
