using CallImport.ImportRunner.Limits;
using CallImport.ImportRunner.Platforms;
using CallImport.ImportRunner.Platforms.RingCentral;
using CallImport.Testing.Fakes.RingCentral;

namespace CallImport.ImportRunner.Tests.Platforms.RingCentral;

/// <summary>
/// A RingCentral context pointed at a fake over real HTTP, through the platform pipeline (the JWT
/// authenticator, the vendor's signals) with no retries and no client-side limit, so each request the test
/// makes reaches the fake once and the fake's own usage plan, when on, is what throttles.
/// </summary>
internal sealed class RingCentralTestContext : IDisposable
{
    public static readonly DateTimeOffset January = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset February = new(2026, 2, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly PlatformConnection _connection;

    public RingCentralTestContext(RingCentralFake fake, IReadOnlyDictionary<string, string>? credentials = null, PlatformLimits? limits = null, int maxRetries = 0)
    {
        _connection = PlatformConnection.Open(new RingCentralContextFactory(), new PlatformCredentials(credentials ?? fake.Credentials), ImportContextServices.Default,
            new PlatformConnectionOptions
            {
                Limits = limits ?? PlatformLimits.Unlimited,
                Retry = new RequestRetrySettings { MaxRetries = maxRetries, MaxThrottledRetries = maxRetries, AttemptTimeout = TimeSpan.FromSeconds(30) },
            });
        Context = _connection.Context;
    }

    public IImportContext Context { get; }

    public static CallQuery Query(DateTimeOffset from, DateTimeOffset to, params (string Key, string Value)[] filters) =>
        new(from, to, filters.ToDictionary(f => f.Key, f => f.Value));

    public static CallQuery AllOfJanuary(params (string Key, string Value)[] filters) => Query(January, February, filters);

    public async Task<List<CallReference>> ListAsync(CallQuery query)
    {
        var calls = new List<CallReference>();
        await foreach (var call in Context.ListCallsAsync(query, CancellationToken.None)) calls.Add(call);
        return calls;
    }

    public void Dispose() => _connection.Dispose();
}
