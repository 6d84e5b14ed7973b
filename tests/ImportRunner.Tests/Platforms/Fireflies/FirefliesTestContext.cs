using CallImport.ImportRunner.Limits;
using CallImport.ImportRunner.Platforms;
using CallImport.ImportRunner.Platforms.Fireflies;
using CallImport.Testing.Fakes.Fireflies;

namespace CallImport.ImportRunner.Tests.Platforms.Fireflies;

/// <summary>
/// A Fireflies context pointed at the fake over real HTTP, through the platform pipeline (auth, signals) with no
/// limit and, unless asked, no retries, so each request the test makes reaches the fake once.
/// </summary>
internal sealed class FirefliesTestContext : IDisposable
{
    public static readonly DateTimeOffset January = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset February = new(2026, 2, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly PlatformConnection _connection;

    public FirefliesTestContext(FirefliesFake fake, string? apiKey = null, int pageSize = 50, RequestRetrySettings? retry = null, TimeProvider? time = null)
    {
        var credentials = new PlatformCredentials(new Dictionary<string, string>
        {
            ["apiKey"] = apiKey ?? fake.ApiKey,
            ["baseUrl"] = fake.BaseUrl,
        });
        var services = time is null ? ImportContextServices.Default : ImportContextServices.Default with { Time = time };
        _connection = PlatformConnection.Open(new FirefliesContextFactory { PageSize = pageSize }, credentials, services, new PlatformConnectionOptions
        {
            Limits = PlatformLimits.Unlimited,
            Retry = retry ?? new RequestRetrySettings { MaxRetries = 0, MaxThrottledRetries = 0, AttemptTimeout = TimeSpan.FromSeconds(30) },
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
