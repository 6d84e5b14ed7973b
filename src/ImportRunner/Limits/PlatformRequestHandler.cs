using System.Net;
using CallImport.ImportRunner.Platforms;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace CallImport.ImportRunner.Limits;

/// <summary>
/// Every request a context makes passes here: counted against the day's quota, spaced by the per-second rate,
/// bounded by a per-attempt timeout, and retried on transient failures (network, 408, 429, 5xx) with
/// exponential backoff and jitter, honouring <c>Retry-After</c>. A 429 also lowers the rate.
/// </summary>
public sealed class PlatformRequestHandler : DelegatingHandler
{
    private readonly AdaptiveRequestRate _rate;
    private readonly DailyRequestQuota? _quota;
    private readonly RequestStatistics _statistics;
    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;

    public PlatformRequestHandler(AdaptiveRequestRate rate, DailyRequestQuota? quota, RequestStatistics statistics,
        RequestRetrySettings settings, TimeProvider time, ILogger logger, HttpMessageHandler inner) : base(inner)
    {
        _rate = rate;
        _quota = quota;
        _statistics = statistics;
        _pipeline = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                ShouldHandle = new PredicateBuilder<HttpResponseMessage>()
                    .Handle<HttpRequestException>()
                    .Handle<TimeoutRejectedException>()
                    .HandleResult(IsTransient),
                MaxRetryAttempts = settings.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = settings.BaseDelay,
                MaxDelay = settings.MaxDelay,
                DelayGenerator = args => ValueTask.FromResult(RetryAfter(args.Outcome.Result, time, settings.MaxDelay)),
                OnRetry = args =>
                {
                    _statistics.Retry();
                    var status = args.Outcome.Result?.StatusCode;
                    if (status == HttpStatusCode.TooManyRequests)
                    {
                        _statistics.Throttle();
                        _rate.OnThrottled();
                    }
                    logger.LogInformation("Retrying {Path} in {RetryDelay} after {Failure} (attempt {Attempt}, rate now {RequestRate:0.##}/s)",
                        args.Context.Properties.GetValue(PathKey, "?"), args.RetryDelay,
                        status is { } s ? $"HTTP {(int)s}" : args.Outcome.Exception?.GetType().Name, args.AttemptNumber + 1, _rate.Current);
                    args.Outcome.Result?.Dispose();
                    return ValueTask.CompletedTask;
                },
            })
            .AddTimeout(settings.AttemptTimeout)
            .Build();
    }

    private static readonly ResiliencePropertyKey<string> PathKey = new("callimport.path");

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        // Only the path: query strings and headers may carry credentials.
        context.Properties.Set(PathKey, request.RequestUri?.AbsolutePath ?? "?");
        try
        {
            var outcome = await _pipeline.ExecuteOutcomeAsync(async (ctx, state) =>
            {
                try
                {
                    if (_quota is not null) await _quota.ReserveAsync(ctx.CancellationToken);
                    _statistics.Waited(await _rate.WaitAsync(ctx.CancellationToken));
                    _statistics.Request();
                    var response = await base.SendAsync(state, ctx.CancellationToken);
                    if (response.IsSuccessStatusCode) _rate.OnSuccess();
                    return Outcome.FromResult(response);
                }
                catch (Exception e)
                {
                    return Outcome.FromException<HttpResponseMessage>(e);
                }
            }, context, request);
            outcome.ThrowIfException();
            return outcome.Result!;
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private static bool IsTransient(HttpResponseMessage response) =>
        response.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout || (int)response.StatusCode >= 500;

    /// <summary>The vendor's Retry-After (seconds or a date) when given, else null for Polly's exponential backoff.</summary>
    private static TimeSpan? RetryAfter(HttpResponseMessage? response, TimeProvider time, TimeSpan max)
    {
        var header = response?.Headers.RetryAfter;
        if (header is null) return null;
        var wait = header.Delta ?? (header.Date is { } date ? date - time.GetUtcNow() : TimeSpan.Zero);
        if (wait < TimeSpan.Zero) wait = TimeSpan.Zero;
        return wait > max ? max : wait;
    }
}

/// <summary>How hard the HTTP pipeline tries before a failure reaches the call.</summary>
public sealed record RequestRetrySettings
{
    public int MaxRetries { get; init; } = 6;
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromSeconds(1);
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(120);
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(60);
}
