using System.Net;
using CallImport.ImportRunner.Limits;
using CallImport.Store;
using CallImport.Testing.Fakes.Grain;

namespace CallImport.ImportRunner.Tests.Limits;

/// <summary>
/// Two limiters (two processes' worth) on one credential, their budget in PostgreSQL, against Grain's fake enforcing a
/// limit lower than declared (6 per 10 s, declared 20) with 429s, over real HTTP. The first process reserves slots it
/// never sends on (its requests reached their connection too late, and its cold start's spare); the second meets the
/// refusal. Counting the first's reserved slots as sent, the second learned 9 where the vendor allows 6, and paced every
/// process on the credential at 9: more refusals.
/// </summary>
public sealed class SharedUnusedSlotsTests(ImportDatabase database) : IClassFixture<ImportDatabase>
{
    private const int VendorLimit = 6;
    private static readonly LimitGroup Declared = new("overall", 20, TimeSpan.FromSeconds(10));

    [Fact]
    public async Task AnotherLimitersUnusedSlots_AreNotCountedAsLetThrough_TheRefusalTeachesTheVendorsLimit()
    {
        await using var grain = await GrainFake.StartAsync(new GrainFakeOptions { RecordingCount = 1, RateLimit = new GrainFakeRateLimit(VendorLimit, TimeSpan.FromSeconds(10)) });
        using var http = new HttpClient();
        var credential = Guid.NewGuid().ToString("N");
        using var first = Limiter(credential);
        using var second = Limiter(credential);

        // The first process takes 5 slots and sends on 3: two of its requests reached their connection too late.
        for (var i = 0; i < 5; i++)
        {
            var slot = (await first.ReserveAsync([Declared], CancellationToken.None))!.Value;
            if (i is 1 or 2) first.NotSent([Declared], slot);
            else Assert.Equal(HttpStatusCode.OK, await SendAsync(http, grain));
        }

        // The second sends until the vendor refuses: 3 more got through (6 in all), the fourth is refused.
        var through = await SendUntilRefusedAsync(second, http, grain);

        Assert.Equal(VendorLimit - 3, through);
        Assert.Equal(VendorLimit, second.Group(Declared.Name)!.PermitLimit);
    }

    [Fact]
    public async Task UnusedSlotsReportedAfterTheRefusal_LowerWhatItTaught_ToTheVendorsLimit()
    {
        await using var grain = await GrainFake.StartAsync(new GrainFakeOptions { RecordingCount = 1, RateLimit = new GrainFakeRateLimit(VendorLimit, TimeSpan.FromSeconds(10)) });
        using var http = new HttpClient();
        var credential = Guid.NewGuid().ToString("N");
        using var first = Limiter(credential);
        using var second = Limiter(credential);

        // The first process sends on one slot and holds two more (a stalled process): not known as unused yet.
        await first.ReserveAsync([Declared], CancellationToken.None);
        Assert.Equal(HttpStatusCode.OK, await SendAsync(http, grain));
        var held = new List<RequestSlot>();
        for (var i = 0; i < 2; i++) held.Add((await first.ReserveAsync([Declared], CancellationToken.None))!.Value);

        // The second meets the refusal after 5 of its own: with the first's two held slots counted, it learns 8.
        var through = await SendUntilRefusedAsync(second, http, grain);
        Assert.Equal(VendorLimit - 1, through);
        Assert.Equal(VendorLimit + 2, second.Group(Declared.Name)!.PermitLimit);

        // The first wakes too late for them and reports them unused; the second's next answer from the budget corrects it.
        foreach (var slot in held) first.NotSent([Declared], slot);
        await WaitForAsync(async () => await UnusedRecordedAsync(credential) >= 4, "the first process's two unused slots (and both spares) in the budget");
        await second.ReserveAsync([Declared], CancellationToken.None);

        Assert.Equal(VendorLimit, second.Group(Declared.Name)!.PermitLimit);
    }

    [Fact]
    public async Task ASlotWhoseCallEndedWhileItWaited_IsNotCountedAsLetThrough()
    {
        await using var grain = await GrainFake.StartAsync(new GrainFakeOptions { RecordingCount = 1, RateLimit = new GrainFakeRateLimit(VendorLimit, TimeSpan.FromSeconds(10)) });
        using var http = new HttpClient();
        var credential = Guid.NewGuid().ToString("N");
        using var first = Limiter(credential);
        using var second = Limiter(credential);

        // The first process sends one request; its next slot comes after its cold start's spare (300 ms on), and its
        // call ends while it waits for it: the slot is reserved in the budget and never used.
        await first.ReserveAsync([Declared], CancellationToken.None);
        Assert.Equal(HttpStatusCode.OK, await SendAsync(http, grain));
        using (var ended = new CancellationTokenSource(TimeSpan.FromMilliseconds(50)))
            await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await first.ReserveAsync([Declared], ended.Token));
        await WaitForAsync(async () => await UnusedRecordedAsync(credential) >= 2, "the first process's spare and its abandoned slot in the budget");

        var through = await SendUntilRefusedAsync(second, http, grain);

        Assert.Equal(VendorLimit - 1, through);
        Assert.Equal(VendorLimit, second.Group(Declared.Name)!.PermitLimit);
    }

    private RequestLimiter Limiter(string credential) =>
        new(new PlatformLimits([Declared]), TimeProvider.System, new SharedRateWindows(new RateWindowCounter(database.DataSource), "grain", credential));

    /// <summary>Sends one request per slot until one is refused (reported to the limiter); returns how many went through.</summary>
    private static async Task<int> SendUntilRefusedAsync(RequestLimiter limiter, HttpClient http, GrainFake grain)
    {
        for (var through = 0; through < Declared.PermitLimit; through++)
        {
            var slot = (await limiter.ReserveAsync([Declared], CancellationToken.None))!.Value;
            var sentAt = DateTimeOffset.UtcNow;
            if (await SendAsync(http, grain) != HttpStatusCode.TooManyRequests) continue;
            limiter.OnThrottled([Declared], retryAfter: null, sentAt, slot.At);
            return through;
        }
        throw new InvalidOperationException($"the vendor refused none of {Declared.PermitLimit} requests");
    }

    private static async Task<HttpStatusCode> SendAsync(HttpClient http, GrainFake grain)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{grain.BaseUrl}v2/recordings/{grain.Recordings[0].Id}/transcript");
        request.Headers.Authorization = new("Bearer", grain.ApiKey);
        request.Headers.Add("Public-Api-Version", GrainFake.ApiVersion);
        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }

    private async Task<long> UnusedRecordedAsync(string credential) =>
        await database.CountAsync("SELECT coalesce(sum(cardinality(unused_seq)), 0) FROM platform_rate_windows WHERE credential = $1", credential);

    private static async Task WaitForAsync(Func<Task<bool>> condition, string what)
    {
        // Real time, only a guard against a hang.
        for (var waited = 0; !await condition(); waited++)
        {
            if (waited > 3_000) throw new TimeoutException($"never saw {what}");
            await Task.Delay(10);
        }
    }
}
