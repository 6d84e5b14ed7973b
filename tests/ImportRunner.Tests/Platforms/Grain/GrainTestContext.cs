using CallImport.ImportRunner.Limits;
using CallImport.ImportRunner.Platforms;
using CallImport.ImportRunner.Platforms.Grain;
using CallImport.Testing.Fakes.Grain;

namespace CallImport.ImportRunner.Tests.Platforms.Grain;

/// <summary>
/// A Grain context pointed at a fake over real HTTP, through the platform pipeline (auth, limits) but with no
/// retries and no limit, so each request the test makes reaches the fake once.
/// </summary>
internal sealed class GrainTestContext : IDisposable
{
    public static readonly DateTimeOffset January = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset February = new(2026, 2, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly PlatformConnection _connection;

    public GrainTestContext(GrainFake fake, string? apiKey = null, TimeSpan? timeout = null, string? baseUrl = null)
    {
        var credentials = new PlatformCredentials(new Dictionary<string, string>
        {
            ["apiKey"] = apiKey ?? fake.ApiKey,
            ["baseUrl"] = baseUrl ?? fake.BaseUrl,
        });
        _connection = PlatformConnection.Open(new GrainContextFactory(), credentials, ImportContextServices.Default, new PlatformConnectionOptions
        {
            Limits = PlatformLimits.Unlimited,
            Retry = new RequestRetrySettings { MaxRetries = 0, MaxThrottledRetries = 0, AttemptTimeout = timeout ?? TimeSpan.FromSeconds(30) },
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

    public Task<SourceCall> FetchAsync(string id) => Context.FetchCallAsync(new CallReference(id), CancellationToken.None);

    public Task<Transcript?> TranscriptAsync(string id) =>
        Context.FetchTranscriptAsync(new SourceCall { SourceCallId = id }, CancellationToken.None);

    public void Dispose() => _connection.Dispose();
}
