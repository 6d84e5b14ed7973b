using CallImport.ImportJobs;
using CallImport.ImportRunner.Limits;
using CallImport.ImportRunner.Platforms.Auth;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace CallImport.ImportRunner.Platforms;

/// <summary>How <see cref="PlatformConnection.Open"/> builds the pipeline. Defaults give the runner's behaviour without a database.</summary>
public sealed record PlatformConnectionOptions
{
    /// <summary>The limits in force (the platform's, lowered by the job); null → the factory's own.</summary>
    public PlatformLimits? Limits { get; init; }

    /// <summary>
    /// The database holding the budgets shared by every process on the credential (the day's quota and each
    /// limit group's window); null → limits held in this process only (tests, benchmarks).
    /// </summary>
    public NpgsqlDataSource? SharedBudget { get; init; }

    public RequestRetrySettings Retry { get; init; } = new();
    public RequestStatistics Statistics { get; init; } = new();
    /// <summary>The transport (tests may wrap it); null → <see cref="VendorTransport.Create"/>, which checks each request's slot as it is written.</summary>
    public HttpMessageHandler? Transport { get; init; }
    /// <summary>Keeps when each request of this connection left, its slot and deadline (benchmarks); null → none kept.</summary>
    public DepartureRecorder? Departures { get; init; }
}

/// <summary>
/// One platform credential's HTTP pipeline and context: limits → auth → timeout → retries, then the context
/// built on it. Used by the runner, the conformance suite and the benchmarks alike.
/// </summary>
public sealed class PlatformConnection : IDisposable
{
    private PlatformConnection(IImportContext context, HttpClient http, RequestLimiter limiter, IRequestAuthenticator authenticator,
        RequestStatistics statistics, DailyRequestQuota? quota)
    {
        (Context, Http, Limiter, Authenticator, Statistics, Quota) = (context, http, limiter, authenticator, statistics, quota);
    }

    public IImportContext Context { get; }
    public HttpClient Http { get; }
    public RequestLimiter Limiter { get; }
    public IRequestAuthenticator Authenticator { get; }
    public RequestStatistics Statistics { get; }
    public DailyRequestQuota? Quota { get; }

    /// <summary>Throws <see cref="CredentialsRejectedException"/> naming a missing key; nothing is sent yet.</summary>
    public static PlatformConnection Open(IImportContextFactory factory, PlatformCredentials credentials, ImportContextServices services,
        PlatformConnectionOptions? options = null)
    {
        options ??= new PlatformConnectionOptions();
        credentials.RequireKeys(factory.RequiredCredentialKeys, ImportPlatforms.AlternativeSecretKeys(factory.Platform));
        var limits = options.Limits ?? factory.Limits;
        var fingerprint = credentials.Fingerprint();
        var shared = options.SharedBudget is { } db ? new SharedRateWindows(new CallImport.Store.RateWindowCounter(db), factory.Platform, fingerprint) : null;
        var quota = limits.RequestsPerDay is { } perDay && options.SharedBudget is { } database
            ? new DailyRequestQuota(new CallImport.Store.DailyRequestCounter(database), factory.Platform, fingerprint, perDay, services.Time)
            : null;
        var limiter = new RequestLimiter(limits, services.Time, shared);
        var handler = new PlatformRequestHandler(limiter, quota, options.Statistics, options.Retry, factory.Signals, services.Time,
            services.LoggerFactory.CreateLogger("CallImport.Http"),
            options.Transport ?? VendorTransport.Create()) { Departures = options.Departures };
        // Per-attempt timeouts live in the pipeline; retries and rate waits may outlast any fixed total.
        var http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        try
        {
            var authenticator = factory.CreateAuthenticator(credentials, http, services);
            handler.Authenticator = authenticator;
            var context = factory.Create(credentials, http, services);
            return new PlatformConnection(context, http, limiter, authenticator, options.Statistics, quota);
        }
        catch
        {
            http.Dispose();
            limiter.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        Http.Dispose();
        Limiter.Dispose();
        (Context as IDisposable)?.Dispose();
    }
}
