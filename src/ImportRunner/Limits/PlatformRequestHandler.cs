using System.Net;
using CallImport.ImportRunner.Platforms;
using CallImport.ImportRunner.Platforms.Auth;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace CallImport.ImportRunner.Limits;

/// <summary>
/// Every request a context makes passes here, per attempt: counted against the day's quota, held until its
/// limit groups allow it (OUTSIDE the per-attempt timeout: waiting is never a timeout, never retried, never
/// burns quota), authenticated, sent under the per-attempt timeout, and its answer read by the context's
/// <see cref="IVendorSignals"/>. Throttled → the group slows or goes quiet, then the request is retried (not
/// a failure); transient (network, timeout, 5xx) → retried with exponential backoff and jitter; a 401 the
/// authenticator can renew → retried once with the new token; anything else is final.
/// </summary>
public sealed class PlatformRequestHandler : DelegatingHandler
{
    private static readonly ResiliencePropertyKey<string> PathKey = new("callimport.path");
    private static readonly ResiliencePropertyKey<Verdict> VerdictKey = new("callimport.verdict");

    private readonly RequestLimiter _limiter;
    private readonly DailyRequestQuota? _quota;
    private readonly RequestStatistics _statistics;
    private readonly IVendorSignals _signals;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    // Built at the first request: Polly validates its options by reflection (~10 ms of a start), and a run
    // with nothing to fetch (an empty listing, a manual folder) never sends one.
    private readonly Lazy<ResiliencePipeline<HttpResponseMessage>> _retry;
    private readonly Lazy<ResiliencePipeline> _attemptTimeout;

    public PlatformRequestHandler(RequestLimiter limiter, DailyRequestQuota? quota, RequestStatistics statistics,
        RequestRetrySettings settings, IVendorSignals signals, TimeProvider time, ILogger logger, HttpMessageHandler inner) : base(inner)
    {
        _limiter = limiter;
        _quota = quota;
        _statistics = statistics;
        _signals = signals;
        _time = time;
        _logger = logger;
        _attemptTimeout = new(() => new ResiliencePipelineBuilder { TimeProvider = time }.AddTimeout(settings.AttemptTimeout).Build());
        _retry = new(() => new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                ShouldHandle = args =>
                {
                    var verdict = args.Context.Properties.GetValue(VerdictKey, Verdict.Final);
                    return ValueTask.FromResult(verdict switch
                    {
                        Verdict.Renewed => true,
                        Verdict.Throttled => args.Context.Properties.GetValue(ThrottlesKey, 0) <= settings.MaxThrottledRetries,
                        Verdict.Transient => args.Context.Properties.GetValue(FailuresKey, 0) <= settings.MaxRetries,
                        _ => false,
                    });
                },
                MaxRetryAttempts = int.MaxValue,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = settings.BaseDelay,
                MaxDelay = settings.MaxDelay,
                DelayGenerator = args => ValueTask.FromResult(args.Context.Properties.GetValue(VerdictKey, Verdict.Final) switch
                {
                    // The limiter holds the next attempt as long as the vendor asked; no second wait here.
                    Verdict.Throttled or Verdict.Renewed => (TimeSpan?)TimeSpan.Zero,
                    _ => args.Outcome.Result is { } r ? Capped(VendorSignals.RetryAfter(r, time), settings.MaxDelay) : null,
                }),
                OnRetry = args =>
                {
                    var verdict = args.Context.Properties.GetValue(VerdictKey, Verdict.Final);
                    if (verdict != Verdict.Renewed) _statistics.Retry();
                    var status = args.Outcome.Result?.StatusCode;
                    logger.LogInformation("Retrying {Path} in {RetryDelay} after {Failure} ({Verdict}, attempt {Attempt}, limit now {RequestRate:0.###}/s)",
                        args.Context.Properties.GetValue(PathKey, "?"), args.RetryDelay,
                        status is { } s ? $"HTTP {(int)s}" : args.Outcome.Exception?.GetType().Name, verdict, args.AttemptNumber + 1, _limiter.CurrentRequestsPerSecond);
                    args.Outcome.Result?.Dispose();
                    return ValueTask.CompletedTask;
                },
            })
            .Build());
    }

    private static readonly ResiliencePropertyKey<int> ThrottlesKey = new("callimport.throttles");
    private static readonly ResiliencePropertyKey<int> FailuresKey = new("callimport.failures");

    /// <summary>Adds the vendor's auth to every request; set once, before the first request (token requests use this same client).</summary>
    public IRequestAuthenticator Authenticator { get; set; } = NoAuthenticator.Instance;

    public RequestLimiter Limiter => _limiter;

    /// <summary>Also keeps each request's departure in memory (set once, before the first request); null → only <see cref="DepartureLog"/>.</summary>
    public DepartureRecorder? Departures { get; set; }

    private enum Verdict { Final, Transient, Throttled, Renewed }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var groups = GroupsOf(request);
        // A request that counts against no vendor limit (a pre-signed download from a storage host) is not one
        // of the vendor's API requests either: Gong's 10,000 a day would otherwise be spent on recordings.
        var quota = LimitGroups.TagOf(request) is { Count: 0 } ? null : _quota;
        var authenticate = !RequestAuthentication.IsSkipped(request);
        var renewed = false;
        // Built before any slot is taken: a request must leave as soon as its slot comes.
        var retry = _retry.Value;
        var attemptTimeout = _attemptTimeout.Value;
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        // Only the path: query strings and headers may carry credentials.
        context.Properties.Set(PathKey, request.RequestUri?.AbsolutePath ?? "?");
        try
        {
            var outcome = await retry.ExecuteOutcomeAsync(async (ctx, state) =>
            {
                ctx.Properties.Set(VerdictKey, Verdict.Final);
                try
                {
                    if (quota is not null) await quota.ReserveAsync(ctx.CancellationToken);
                    var waitStarted = _time.GetTimestamp();
                    DateTimeOffset sentAt;
                    HttpResponseMessage response;
                    RequestSlot? sentOn;
                    while (true)
                    {
                        RequestSlot? slot;
                        while (true)
                        {
                            slot = await _limiter.ReserveAsync(groups, ctx.CancellationToken);
                            try
                            {
                                if (authenticate) await Authenticator.ApplyAsync(state, ctx.CancellationToken);
                            }
                            catch
                            {
                                // The call ended (cancelled, or no token to be had) before its request went: its slot is unused.
                                if (slot is { } unused) _limiter.NotSent(groups, unused);
                                throw;
                            }
                            // Auth may have fetched a token, or this thread woken late: a request past its slot's
                            // deadline would land in a window planned for others, so it waits for a new slot.
                            sentAt = _time.GetUtcNow();
                            if (slot is not { } s || s.IsOnTime(sentAt)) break;
                            _limiter.NotSent(groups, s);
                        }
                        var waited = _time.GetElapsedTime(waitStarted);
                        _statistics.Waited(waited);
                        _statistics.Request();
                        // Checked once more as its first byte is written (a connection to wait for or open, a thread
                        // preempted): still on time, or not sent at all and back for a new slot.
                        var departure = slot is { } granted ? RequestDeparture.Begin(granted, _time) : null;
                        try
                        {
                            response = await attemptTimeout.ExecuteAsync(
                                static async (s, token) => await s.Handler.BaseSendAsync(s.Request, token), (Handler: this, Request: state), ctx.CancellationToken);
                        }
                        catch (HttpRequestException e) when (SlotMissedException.IsCause(e))
                        {
                            _statistics.NotSent(waited);
                            if (slot is { } missed) _limiter.NotSent(groups, missed);
                            _logger.LogDebug("{Path} reached its connection after its slot's deadline; not sent, it waits for a new slot", ctx.Properties.GetValue(PathKey, "?"));
                            continue;
                        }
                        finally
                        {
                            departure?.End();
                        }
                        // When it actually left: a refusal is judged against what had been sent before it.
                        if (departure?.DepartedAt is { } departed && slot is { } left)
                        {
                            sentAt = departed;
                            DepartureLog.Departed(departed, left, state);
                            Departures?.Departed(departed, left, state);
                        }
                        sentOn = slot;
                        break;
                    }

                    if (response.StatusCode == HttpStatusCode.Unauthorized && authenticate && !renewed
                        && await Authenticator.RenewAfterRefusalAsync(state, ctx.CancellationToken))
                    {
                        renewed = true;
                        ctx.Properties.Set(VerdictKey, Verdict.Renewed);
                        return Outcome.FromResult(response);
                    }

                    var signal = await _signals.ClassifyAsync(response, _time, ctx.CancellationToken);
                    switch (signal.Kind)
                    {
                        case ResponseKind.Throttled:
                            _statistics.Throttle();
                            _limiter.OnThrottled(groups, signal.RetryAfter, sentAt, sentOn?.At);
                            ctx.Properties.Set(ThrottlesKey, ctx.Properties.GetValue(ThrottlesKey, 0) + 1);
                            ctx.Properties.Set(VerdictKey, Verdict.Throttled);
                            break;
                        case ResponseKind.Transient:
                            ctx.Properties.Set(FailuresKey, ctx.Properties.GetValue(FailuresKey, 0) + 1);
                            ctx.Properties.Set(VerdictKey, Verdict.Transient);
                            break;
                        default:
                            // Answered, not refused: what the limit groups learn from counts what got through.
                            _limiter.OnAdmitted(groups, sentAt, sentOn?.At);
                            break;
                    }
                    return Outcome.FromResult(response);
                }
                catch (Exception e) when (e is HttpRequestException or TimeoutRejectedException && !ctx.CancellationToken.IsCancellationRequested)
                {
                    ctx.Properties.Set(FailuresKey, ctx.Properties.GetValue(FailuresKey, 0) + 1);
                    ctx.Properties.Set(VerdictKey, Verdict.Transient);
                    return Outcome.FromException<HttpResponseMessage>(e);
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

    private Task<HttpResponseMessage> BaseSendAsync(HttpRequestMessage request, CancellationToken cancellationToken) => base.SendAsync(request, cancellationToken);

    private IReadOnlyList<LimitGroup> GroupsOf(HttpRequestMessage request)
    {
        var limits = _limiter.Limits;
        if (TokenRequests.IsTokenRequest(request) && LimitGroups.TagOf(request) is null)
            return limits.AuthLimitGroup is { } auth ? [auth] : [];
        return limits.GroupsOf(request);
    }

    private static TimeSpan? Capped(TimeSpan? wait, TimeSpan max) => wait is { } w && w > max ? max : wait;
}

/// <summary>How hard the HTTP pipeline tries before a failure reaches the call.</summary>
public sealed record RequestRetrySettings
{
    /// <summary>Retries after transient failures (network, timeout, 5xx).</summary>
    public int MaxRetries { get; init; } = 6;
    /// <summary>Retries after throttle signals: not failures, the group just waits; bounded so a vendor that never lets up still ends the call.</summary>
    public int MaxThrottledRetries { get; init; } = 30;
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromSeconds(1);
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(120);
    /// <summary>Per attempt, from the moment the request leaves (the rate wait is not part of it).</summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(60);
}
