using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using CallImport.Testing.Fakes.Gong;
using Microsoft.Extensions.Time.Testing;

namespace CallImport.ImportRunner.Tests.Platforms.Gong;

/// <summary>The fake's own promises, taken from Gong's documentation, which the context's tests rely on.</summary>
public sealed class GongFakeTests
{
    private static readonly DateTimeOffset January = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset February = new(2026, 2, 1, 0, 0, 0, TimeSpan.Zero);

    private static AuthenticationHeaderValue Basic(GongFake gong) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{gong.AccessKey}:{gong.AccessKeySecret}")));

    private static HttpRequestMessage List(GongFake gong, string query, AuthenticationHeaderValue? auth = null) =>
        new(HttpMethod.Get, $"{gong.BaseUrl}v2/calls?{query}") { Headers = { Authorization = auth ?? Basic(gong) } };

    private static HttpRequestMessage Post(GongFake gong, string path, object body) =>
        new(HttpMethod.Post, gong.BaseUrl + path) { Content = JsonContent.Create(body), Headers = { Authorization = Basic(gong) } };

    private static string Range(DateTimeOffset from, DateTimeOffset to) =>
        $"fromDateTime={Uri.EscapeDataString(from.ToString("o"))}&toDateTime={Uri.EscapeDataString(to.ToString("o"))}";

    [Fact]
    public async Task ListCalls_ManyCalls_PagesOfAHundredWithRecordsAndACursorOnlyWhileMoreFollow()
    {
        await using var gong = await GongFake.StartAsync(new GongFakeOptions { CallCount = 230, RateLimit = null });
        using var http = new HttpClient();

        var pages = new List<JsonObject>();
        string? cursor = null;
        do
        {
            using var response = await http.SendAsync(List(gong, Range(January, February) + (cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}")));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var page = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
            pages.Add(page);
            cursor = page["records"]!["cursor"]?.GetValue<string>();
        } while (cursor is not null);

        Assert.Equal([100, 100, 30], pages.Select(p => p["records"]!["currentPageSize"]!.GetValue<int>()));
        Assert.All(pages, p => Assert.Equal(230, p["records"]!["totalRecords"]!.GetValue<int>()));
        Assert.Equal([0, 1, 2], pages.Select(p => p["records"]!["currentPageNumber"]!.GetValue<int>()));
        var ids = pages.SelectMany(p => p["calls"]!.AsArray()).Select(c => c!["id"]!.GetValue<string>()).ToList();
        Assert.Equal(gong.CallsIn(January, February).Select(c => c.Id), ids);
        Assert.Equal(230, ids.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public async Task Ids_AreDigitStrings_MostBeyondInt64_SomeEqualAsDoubles()
    {
        await using var gong = await GongFake.StartAsync(new GongFakeOptions { CallCount = 100 });

        Assert.All(gong.Calls, c => Assert.True(c.Id.Length is 19 or 20 && c.Id.All(char.IsAsciiDigit), c.Id));
        Assert.True(gong.Calls.Count(c => !long.TryParse(c.Id, out _)) > 50);
        Assert.Contains(gong.Calls, c => !ulong.TryParse(c.Id, out _));
        var asDoubles = gong.Calls.GroupBy(c => double.Parse(c.Id, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Contains(asDoubles, g => g.Count() > 1);
    }

    [Fact]
    public async Task ListCalls_ToIsExclusive_AndWebConferencesMatchOnTheirScheduledTime()
    {
        await using var gong = await GongFake.StartAsync(new GongFakeOptions { CallCount = 40, CallsAtBounds = true, RateLimit = null });
        using var http = new HttpClient();

        using var response = await http.SendAsync(List(gong, Range(January, February)));
        var ids = (await response.Content.ReadFromJsonAsync<JsonObject>())!["calls"]!.AsArray().Select(c => c!["id"]!.GetValue<string>()).ToHashSet();

        Assert.Contains(gong.Calls[0].Id, ids);       // started exactly at from
        Assert.DoesNotContain(gong.Calls[^1].Id, ids); // started exactly at to
        Assert.Contains(gong.Calls, c => c.Scheduled is { } s && s != c.Started);
        Assert.All(gong.Calls.Where(c => ids.Contains(c.Id)), c => Assert.InRange(c.MatchedAt, January, February.AddTicks(-1)));
    }

    [Fact]
    public async Task ListCalls_NothingInRange_Answers404NoCallsFoundInGongsErrorShape()
    {
        await using var gong = await GongFake.StartAsync();
        using var http = new HttpClient();

        using var response = await http.SendAsync(List(gong, Range(new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2020, 2, 1, 0, 0, 0, TimeSpan.Zero))));
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(GongFake.NoCallsFound, body["errors"]![0]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(body["requestId"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Auth_BasicKeyAndSecretOrOAuthBearer_AnythingElse401()
    {
        await using var gong = await GongFake.StartAsync();
        using var http = new HttpClient();
        var wrong = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{gong.AccessKey}:nope")));

        using var basic = await http.SendAsync(List(gong, Range(January, February)));
        using var bearer = await http.SendAsync(List(gong, Range(January, February), new("Bearer", gong.OAuthToken!)));
        using var refused = await http.SendAsync(List(gong, Range(January, February), wrong));

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.Unauthorized), (basic.StatusCode, bearer.StatusCode, refused.StatusCode));
        Assert.NotNull((await refused.Content.ReadFromJsonAsync<JsonObject>())!["errors"]);
    }

    [Fact]
    public async Task Extensive_ByCallIds_ReturnsPartiesAndSignedMediaThatStorageServesOnlyWithoutAuthorization()
    {
        await using var gong = await GongFake.StartAsync(new GongFakeOptions { CallCount = 30, MediaFraction = 1 });
        using var http = new HttpClient();
        var wanted = gong.Calls.Take(3).Select(c => c.Id).ToArray();

        using var response = await http.SendAsync(Post(gong, "v2/calls/extensive", new
        {
            filter = new { callIds = wanted },
            contentSelector = new { exposedFields = new { parties = true, media = true } },
        }));
        var calls = (await response.Content.ReadFromJsonAsync<JsonObject>())!["calls"]!.AsArray();
        var first = calls.Single(c => c!["metaData"]!["id"]!.GetValue<string>() == wanted[0])!;
        var url = first["media"]!["audioUrl"]!.GetValue<string>();

        Assert.Equal(wanted.Order(StringComparer.Ordinal), calls.Select(c => c!["metaData"]!["id"]!.GetValue<string>()).Order(StringComparer.Ordinal));
        Assert.Equal(gong.Call(wanted[0]).Parties.Select(p => p.Affiliation), first["parties"]!.AsArray().Select(p => p!["affiliation"]!.GetValue<string>()));
        using var withAuth = await http.SendAsync(new HttpRequestMessage(HttpMethod.Get, url) { Headers = { Authorization = Basic(gong) } });
        Assert.Equal(HttpStatusCode.BadRequest, withAuth.StatusCode);
        Assert.Equal(gong.Call(wanted[0]).Audio, await http.GetByteArrayAsync(url));
        using var tampered = await http.GetAsync(url.Replace("X-Amz-Expires=28800", "X-Amz-Expires=99999", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.Forbidden, tampered.StatusCode);
        Assert.Equal(1, gong.Traffic.Faults(GongFakeFault.StorageAuthorizationRefused));
    }

    [Fact]
    public async Task SignedMediaUrl_AfterEightHours_IsRefusedAsExpired()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero));
        await using var gong = await GongFake.StartAsync(new GongFakeOptions { CallCount = 5, MediaFraction = 1, Time = time });
        using var http = new HttpClient();
        using var response = await http.SendAsync(Post(gong, "v2/calls/extensive", new
        {
            filter = new { callIds = new[] { gong.Calls[0].Id } },
            contentSelector = new { exposedFields = new { media = true } },
        }));
        var url = (await response.Content.ReadFromJsonAsync<JsonObject>())!["calls"]![0]!["media"]!["audioUrl"]!.GetValue<string>();

        time.Advance(TimeSpan.FromHours(8) - TimeSpan.FromSeconds(1));
        using var valid = await http.GetAsync(url);
        time.Advance(TimeSpan.FromSeconds(1));
        using var expired = await http.GetAsync(url);

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.Forbidden), (valid.StatusCode, expired.StatusCode));
        Assert.Contains("expired", await expired.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Transcript_ByCallIds_ReturnsOnlyCallsWithTranscriptsWithSpeakerIdsOfTheirParties()
    {
        await using var gong = await GongFake.StartAsync(new GongFakeOptions { CallCount = 40, TranscriptFraction = 0.5 });
        using var http = new HttpClient();
        var ids = gong.Calls.Select(c => c.Id).ToArray();

        using var response = await http.SendAsync(Post(gong, "v2/calls/transcript", new { filter = new { callIds = ids } }));
        var transcripts = (await response.Content.ReadFromJsonAsync<JsonObject>())!["callTranscripts"]!.AsArray();

        Assert.Equal(gong.Calls.Where(c => c.HasTranscript).Select(c => c.Id).Order(StringComparer.Ordinal),
            transcripts.Select(t => t!["callId"]!.GetValue<string>()).Order(StringComparer.Ordinal));
        var one = transcripts[0]!;
        var call = gong.Call(one["callId"]!.GetValue<string>());
        Assert.All(one["transcript"]!.AsArray(), m => Assert.Contains(call.Parties, p => p.SpeakerId == m!["speakerId"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Post_CallIdsAsNumbers_Refused400()
    {
        await using var gong = await GongFake.StartAsync();
        using var http = new HttpClient();

        using var response = await http.SendAsync(new HttpRequestMessage(HttpMethod.Post, gong.BaseUrl + "v2/calls/extensive")
        {
            Content = new StringContent("{\"filter\":{\"callIds\":[" + gong.Calls[0].Id + "]}}", Encoding.UTF8, "application/json"),
            Headers = { Authorization = Basic(gong) },
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task RateLimit_ThreePerSecond_FourthAnswers429WithRetryAfter_AndStorageIsNotCounted()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero));
        await using var gong = await GongFake.StartAsync(new GongFakeOptions { Time = time });
        using var http = new HttpClient();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            using var response = await http.SendAsync(List(gong, Range(January, February)));
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests) Assert.Equal(TimeSpan.FromSeconds(1), response.Headers.RetryAfter!.Delta);
        }
        time.Advance(TimeSpan.FromSeconds(1));
        using var after = await http.SendAsync(List(gong, Range(January, February)));

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    [Fact]
    public async Task RateLimit_DailyCap_RefusesUntilMidnightUtc()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 23, 0, 0, TimeSpan.Zero));
        await using var gong = await GongFake.StartAsync(new GongFakeOptions { Time = time, RateLimit = new GongFakeRateLimit(100, 2) });
        using var http = new HttpClient();

        for (var i = 0; i < 2; i++) (await http.SendAsync(List(gong, Range(January, February)))).Dispose();
        using var refused = await http.SendAsync(List(gong, Range(January, February)));
        time.Advance(TimeSpan.FromHours(1));
        using var nextDay = await http.SendAsync(List(gong, Range(January, February)));

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal(TimeSpan.FromHours(1), refused.Headers.RetryAfter!.Delta);
        Assert.Equal(HttpStatusCode.OK, nextDay.StatusCode);
    }

    [Fact]
    public async Task Cursor_WithAnotherFilter_IsRefused()
    {
        await using var gong = await GongFake.StartAsync(new GongFakeOptions { CallCount = 150, RateLimit = null });
        using var http = new HttpClient();
        using var first = await http.SendAsync(List(gong, Range(January, February)));
        var cursor = (await first.Content.ReadFromJsonAsync<JsonObject>())!["records"]!["cursor"]!.GetValue<string>();

        using var other = await http.SendAsync(List(gong, Range(January, February.AddDays(1)) + "&cursor=" + Uri.EscapeDataString(cursor)));

        Assert.Equal(HttpStatusCode.BadRequest, other.StatusCode);
    }
}

/// <summary>The Gong fake in the catalog's shared shape, as the conformance suite and the samples test start it.</summary>
public sealed class GongVendorFakeTests
{
    [Fact]
    public async Task Catalog_GongScenario_TruthMatchesTheFakesCallsMediaAndFaults()
    {
        await using var vendor = await CallImport.Testing.Fakes.VendorFakes.StartAsync("gong", new CallImport.Testing.Fakes.VendorFakeScenario
        {
            Calls = 40, CallsAtBounds = true, MalformedCalls = 3, WithMediaFraction = 0.5, EnforceLimits = true, PageSize = 10,
        });
        var gong = Assert.IsType<GongVendorFake>(vendor).Fake;

        Assert.Equal(42, vendor.Calls.Count);
        Assert.Equal(3, vendor.Calls.Count(c => c.Malformed));
        Assert.All(vendor.Calls.Where(c => c.SkipReason is not null), c => Assert.True(gong.Call(c.Id).IsPrivate));
        Assert.All(vendor.Calls, c => Assert.Equal(
            gong.Call(c.Id).ImportedMedia is { } media ? Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(media)) : null, c.MediaSha256));
        Assert.All(vendor.Calls, c => Assert.Equal(gong.Call(c.Id).Started, c.StartedAt));
        var limit = Assert.Single(vendor.Limits);
        Assert.Equal(("overall", 3, TimeSpan.FromSeconds(1)), (limit.Group, limit.PermitLimit, limit.Window));
        Assert.Equal(vendor.ValidCredentials["accessKey"], vendor.RefusedCredentials["accessKey"]);
        Assert.NotEqual(vendor.ValidCredentials["accessKeySecret"], vendor.RefusedCredentials["accessKeySecret"]);
    }
}
