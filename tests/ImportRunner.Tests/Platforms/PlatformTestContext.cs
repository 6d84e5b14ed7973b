using CallImport.ImportRunner.Limits;
using CallImport.ImportRunner.Platforms;

namespace CallImport.ImportRunner.Tests.Platforms;

/// <summary>
/// A platform's context pointed at its fake over real HTTP, through the platform pipeline (auth, signals) with no
/// limit and, unless a test asks, no retries, so each request the test makes reaches the fake once. A platform's
/// <c>&lt;Vendor&gt;TestContext</c> only says which factory and credentials; tests import the date helpers with
/// <c>using static CallImport.ImportRunner.Tests.Platforms.PlatformTestContext;</c>.
/// </summary>
internal abstract class PlatformTestContext : IDisposable
{
    public static readonly DateTimeOffset January = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset February = new(2026, 2, 1, 0, 0, 0, TimeSpan.Zero);

    protected PlatformTestContext(IImportContextFactory factory, IReadOnlyDictionary<string, string> credentials, RequestRetrySettings? retry = null,
        TimeProvider? time = null, PlatformLimits? limits = null, HttpMessageHandler? transport = null)
    {
        Connection = PlatformConnection.Open(factory, new PlatformCredentials(credentials),
            time is null ? ImportContextServices.Default : ImportContextServices.Default with { Time = time },
            new PlatformConnectionOptions
            {
                Limits = limits ?? PlatformLimits.Unlimited,
                Retry = retry ?? NoRetries(),
                Transport = transport,
            });
        Context = Connection.Context;
    }

    public PlatformConnection Connection { get; }
    public IImportContext Context { get; }

    /// <summary>Each request tried once (throttled ones too), given up after <paramref name="timeout"/> (30 s).</summary>
    public static RequestRetrySettings NoRetries(TimeSpan? timeout = null, int maxRetries = 0) =>
        new() { MaxRetries = maxRetries, MaxThrottledRetries = maxRetries, AttemptTimeout = timeout ?? TimeSpan.FromSeconds(30) };

    public static CallQuery Query(DateTimeOffset from, DateTimeOffset to, params (string Key, string Value)[] filters) =>
        new(from, to, filters.ToDictionary(f => f.Key, f => f.Value));

    public static CallQuery AllOfJanuary(params (string Key, string Value)[] filters) => Query(January, February, filters);

    public async Task<List<CallReference>> ListAsync(CallQuery query)
    {
        var calls = new List<CallReference>();
        await foreach (var call in Context.ListCallsAsync(query, CancellationToken.None)) calls.Add(call);
        return calls;
    }

    public void Dispose() => Connection.Dispose();
}
