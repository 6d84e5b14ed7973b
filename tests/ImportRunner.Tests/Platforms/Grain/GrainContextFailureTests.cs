using CallImport.ImportRunner.Platforms;
using CallImport.Testing.Fakes.Grain;
using static CallImport.ImportRunner.Tests.Platforms.PlatformTestContext;

namespace CallImport.ImportRunner.Tests.Platforms.Grain;

/// <summary>How the context reports what Grain refuses. The HTTP client here retries nothing, so what the fake sends is final.</summary>
public sealed class GrainContextFailureTests
{
    private const string Key = "grain-secret-7f3a9c";
    private const string WrongKey = "grain-wrong-1d2e8b";

    private static Task<GrainFake> StartAsync() => GrainFake.StartAsync(new GrainFakeOptions { ApiKey = Key });

    [Fact]
    public async Task ValidateCredentials_AcceptedKey_PassesWithOneListingRequest()
    {
        await using var grain = await StartAsync();
        using var sut = new GrainTestContext(grain);

        await sut.Context.ValidateCredentialsAsync(CancellationToken.None);

        Assert.Equal(1, grain.Traffic.TotalRequests);
        Assert.Equal(1, grain.Traffic.Requests(GrainFakeEndpoint.ListRecordings));
        Assert.Equal(1, grain.Traffic.Responses(200));
    }

    [Fact]
    public async Task ValidateCredentials_RefusedKey_ThrowsCredentialsRejectedWithoutAnyKey()
    {
        await using var grain = await StartAsync();
        using var sut = new GrainTestContext(grain, apiKey: WrongKey);

        var error = await Assert.ThrowsAsync<CredentialsRejectedException>(() => sut.Context.ValidateCredentialsAsync(CancellationToken.None));

        Assert.Contains("401", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(WrongKey, error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Key, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ValidateCredentials_BaseUrlWithoutGrainApi_ThrowsCredentialsRejectedNamingBaseUrl()
    {
        await using var grain = await StartAsync();
        using var sut = new GrainTestContext(grain, baseUrl: grain.BaseUrl.Replace("/_/public-api/", "/elsewhere/", StringComparison.Ordinal));

        var error = await Assert.ThrowsAsync<CredentialsRejectedException>(() => sut.Context.ValidateCredentialsAsync(CancellationToken.None));

        Assert.Contains("baseUrl", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListCalls_KeyRevokedBetweenPages_ThrowsCredentialsRejected()
    {
        await using var grain = await GrainFake.StartAsync(new GrainFakeOptions { ApiKey = Key, RecordingCount = 30, PageSize = 10 });
        using var sut = new GrainTestContext(grain);
        var listed = 0;

        await Assert.ThrowsAsync<CredentialsRejectedException>(async () =>
        {
            await foreach (var _ in sut.Context.ListCallsAsync(AllOfJanuary(), CancellationToken.None))
                if (++listed == 10) grain.ApiKey = "rotated-key";
        });

        Assert.Equal(10, listed);
    }

    [Fact]
    public async Task FetchCall_Throttled_ThrowsTransientCallException()
    {
        await using var grain = await StartAsync();
        grain.Faults.ThrottleNext(1, retryAfterSeconds: 7);
        using var sut = new GrainTestContext(grain);

        var error = await Assert.ThrowsAsync<TransientCallException>(() => sut.FetchAsync(grain.Recordings[0].Id));

        Assert.Contains("429", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, grain.Traffic.Faults(GrainFakeFault.Throttled));
    }

    [Theory]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    public async Task ListCalls_ServerError_ThrowsTransientCallException(int status)
    {
        await using var grain = await StartAsync();
        grain.Faults.FailNext(1, status);
        using var sut = new GrainTestContext(grain);

        var error = await Assert.ThrowsAsync<TransientCallException>(() => sut.ListAsync(AllOfJanuary()));

        Assert.Contains(status.ToString(System.Globalization.CultureInfo.InvariantCulture), error.Message, StringComparison.Ordinal);
        Assert.Equal(0, grain.Faults.FailuresLeft);
    }

    [Fact]
    public async Task FetchTranscript_NoAnswerInTime_ThrowsTransientCallException()
    {
        await using var grain = await StartAsync();
        grain.Faults.DelayNext(1, TimeSpan.FromMinutes(5));
        using var sut = new GrainTestContext(grain, timeout: TimeSpan.FromMilliseconds(500));

        var error = await Assert.ThrowsAsync<TransientCallException>(() => sut.TranscriptAsync(grain.Recordings[0].Id));

        Assert.Contains("in time", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, grain.Traffic.Faults(GrainFakeFault.Delayed));
    }

    public static TheoryData<string> FailurePaths => ["wrong key", "throttled", "server error", "timeout", "malformed", "not found", "unknown filter", "unreachable"];

    [Theory]
    [MemberData(nameof(FailurePaths))]
    public async Task EveryFailurePath_ExceptionNeverCarriesTheKey(string failure)
    {
        await using var grain = await StartAsync();
        var id = grain.Recordings[0].Id;
        var apiKey = failure == "wrong key" ? WrongKey : Key;
        string? baseUrl = null;
        switch (failure)
        {
            case "throttled": grain.Faults.ThrottleNext(10); break;
            case "server error": grain.Faults.FailNext(10); break;
            case "timeout": grain.Faults.DelayNext(10, TimeSpan.FromMinutes(5)); break;
            case "malformed": grain.Faults.MalformedDetailFor(id); break;
            case "not found": grain.Faults.NotFoundFor(id); break;
            case "unreachable": baseUrl = "http://127.0.0.1:1/_/public-api/"; break;
        }
        using var sut = new GrainTestContext(grain, apiKey, TimeSpan.FromMilliseconds(500), baseUrl);
        var query = failure == "unknown filter" ? AllOfJanuary(("speaker", "Ada")) : AllOfJanuary();

        var errors = new List<Exception>();
        foreach (var step in new Func<Task>[]
                 {
                     () => sut.Context.ValidateCredentialsAsync(CancellationToken.None),
                     () => sut.ListAsync(query),
                     () => sut.FetchAsync(id),
                     () => sut.TranscriptAsync(id),
                 })
        {
            try { await step(); }
            catch (Exception e) { errors.Add(e); }
        }

        Assert.NotEmpty(errors);
        Assert.All(errors, e =>
        {
            Assert.DoesNotContain(Key, e.ToString(), StringComparison.Ordinal);
            Assert.DoesNotContain(WrongKey, e.ToString(), StringComparison.Ordinal);
        });
    }
}
