using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CallImport.Testing.Fakes.Grain;
using Microsoft.Extensions.Time.Testing;

namespace CallImport.ImportRunner.Tests.Platforms.Grain;

/// <summary>The fake's own promises, which the pipeline's tests rely on: throttling, strictness, determinism.</summary>
public sealed class GrainFakeTests
{
    private static HttpRequestMessage List(GrainFake grain, bool withVersion = true)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, grain.BaseUrl + "v2/recordings") { Content = JsonContent.Create(new { }) };
        request.Headers.Authorization = new("Bearer", grain.ApiKey);
        if (withVersion) request.Headers.Add("Public-Api-Version", GrainFake.ApiVersion);
        return request;
    }

    [Fact]
    public async Task RateLimit_WindowFull_Answers429WithRetryAfterUntilTheWindowSlides()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero));
        await using var grain = await GrainFake.StartAsync(new GrainFakeOptions { RateLimit = new(3, TimeSpan.FromSeconds(20)), Time = time });
        using var http = new HttpClient();

        var remaining = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            using var ok = await http.SendAsync(List(grain));
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
            remaining.Add(ok.Headers.GetValues("x-ratelimit-remaining").Single());
        }
        time.Advance(TimeSpan.FromSeconds(5));
        using var refused = await http.SendAsync(List(grain));
        time.Advance(TimeSpan.FromSeconds(15));
        using var admitted = await http.SendAsync(List(grain));

        Assert.Equal(["2", "1", "0"], remaining);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(15), refused.Headers.RetryAfter?.Delta);
        Assert.Equal("3", refused.Headers.GetValues("x-ratelimit-limit").Single());
        Assert.Equal(HttpStatusCode.OK, admitted.StatusCode);
        Assert.Equal(1, grain.Traffic.Faults(GrainFakeFault.RateLimited));
        Assert.Equal(4, grain.Traffic.MaxRequestsIn(TimeSpan.FromSeconds(20)));
    }

    [Fact]
    public async Task Request_WithoutApiVersionHeader_Answers400()
    {
        await using var grain = await GrainFake.StartAsync();
        using var http = new HttpClient();

        using var response = await http.SendAsync(List(grain, withVersion: false));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(1, grain.Traffic.Faults(GrainFakeFault.MissingApiVersion));
    }

    [Fact]
    public async Task ListRecordings_UnknownFilterKey_Answers400()
    {
        await using var grain = await GrainFake.StartAsync();
        using var http = new HttpClient();
        using var request = List(grain);
        request.Content = JsonContent.Create(new { filter = new { speaker = "Ada" } });

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("speaker", (await response.Content.ReadFromJsonAsync<JsonObject>())!["error"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ThrottleNext_TwoRequests_RefusesExactlyThoseThenServes()
    {
        await using var grain = await GrainFake.StartAsync();
        grain.Faults.ThrottleNext(2, retryAfterSeconds: 3);
        using var http = new HttpClient();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            using var response = await http.SendAsync(List(grain));
            statuses.Add(response.StatusCode);
            if (i == 0) Assert.Equal(TimeSpan.FromSeconds(3), response.Headers.RetryAfter?.Delta);
        }

        Assert.Equal([HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests, HttpStatusCode.OK], statuses);
        Assert.Equal(0, grain.Faults.ThrottlesLeft);
        Assert.Equal(2, grain.Traffic.Responses(429));
        Assert.Equal(3, grain.Traffic.RequestsByPath["POST v2/recordings"]);
    }

    [Fact]
    public async Task Seed_SameSeed_SameRecordings_OtherSeed_OtherRecordings()
    {
        await using var first = await GrainFake.StartAsync(new GrainFakeOptions { Seed = 7 });
        await using var again = await GrainFake.StartAsync(new GrainFakeOptions { Seed = 7 });
        await using var other = await GrainFake.StartAsync(new GrainFakeOptions { Seed = 8 });

        Assert.Equal(first.Recordings.Select(r => (r.Id, r.Title, r.Start)), again.Recordings.Select(r => (r.Id, r.Title, r.Start)));
        Assert.NotEqual(first.Recordings.Select(r => r.Id), other.Recordings.Select(r => r.Id));
        Assert.Contains(first.Recordings.SelectMany(r => r.Participants), p => p.Scope == "external" && p.Email is not null);
        Assert.Contains(first.Recordings.SelectMany(r => r.Participants), p => p.Email is null);
        Assert.Contains(first.Recordings.SelectMany(r => r.Participants), p => p.Scope == "unknown");
    }
}
