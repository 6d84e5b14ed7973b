using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using CallImport.Testing.Fakes.Zoom;
using Microsoft.Extensions.Time.Testing;

namespace CallImport.ImportRunner.Tests.Platforms.Zoom;

/// <summary>The fake behaves as Zoom's API reference says, whatever our client does.</summary>
public sealed class ZoomFakeTests
{
    [Fact]
    public async Task Token_BasicClientCredentials_GivesAnHourBearerWithoutRefreshToken()
    {
        await using var zoom = await ZoomFake.StartAsync();
        using var http = new HttpClient();

        var token = await TokenAsync(http, zoom, zoom.Options.ClientSecret);

        Assert.Equal("bearer", token["token_type"]!.GetValue<string>());
        Assert.Equal(3599, token["expires_in"]!.GetValue<int>());
        Assert.Null(token["refresh_token"]);
    }

    [Fact]
    public async Task Token_WrongSecretOrAccount_IsRefusedWithOAuthError()
    {
        await using var zoom = await ZoomFake.StartAsync();
        using var http = new HttpClient();

        using var wrongSecret = await http.SendAsync(TokenRequest(zoom, zoom.Options.AccountId, "nope"));
        using var wrongAccount = await http.SendAsync(TokenRequest(zoom, "other-account", zoom.Options.ClientSecret));

        Assert.Equal(HttpStatusCode.BadRequest, wrongSecret.StatusCode);
        Assert.Contains("invalid_client", await wrongSecret.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, wrongAccount.StatusCode);
    }

    [Fact]
    public async Task Api_WithoutOrWithExpiredToken_Answers401Code124()
    {
        await using var zoom = await ZoomFake.StartAsync();
        using var http = new HttpClient();
        var token = (await TokenAsync(http, zoom, zoom.Options.ClientSecret))["access_token"]!.GetValue<string>();

        using var none = await http.GetAsync($"{zoom.BaseUrl}v2/accounts/me/recordings");
        zoom.ExpireTokens();
        using var expired = await GetAsync(http, $"{zoom.BaseUrl}v2/accounts/me/recordings", token);

        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        Assert.Equal(124, JsonNode.Parse(await none.Content.ReadAsStringAsync())!["code"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.Unauthorized, expired.StatusCode);
        Assert.Contains("expired", await expired.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Listing_UsersMe_MissesOtherHosts_WhileTheAccountListingHasThemAll()
    {
        await using var zoom = await ZoomFake.StartAsync(new ZoomFakeOptions { MeetingCount = 30 });
        using var http = new HttpClient();
        var token = (await TokenAsync(http, zoom, zoom.Options.ClientSecret))["access_token"]!.GetValue<string>();

        var mine = await MeetingsAsync(http, $"{zoom.BaseUrl}v2/users/me/recordings?from=2026-01-01&to=2026-01-31&page_size=300", token);
        var all = await MeetingsAsync(http, $"{zoom.BaseUrl}v2/accounts/me/recordings?from=2026-01-01&to=2026-01-31&page_size=300", token);

        Assert.Equal(30, all.Count);
        Assert.Equal(zoom.Meetings.Count(m => m.Host == zoom.Users[0]), mine.Count);
        Assert.True(mine.Count < all.Count);
    }

    [Fact]
    public async Task Listing_WiderThanAMonth_IsSilentlyNarrowed_AndSaysSoOnlyInItsTo()
    {
        await using var zoom = await ZoomFake.StartAsync(new ZoomFakeOptions { MeetingCount = 40, MeetingsTo = new DateTimeOffset(2026, 4, 1, 0, 0, 0, TimeSpan.Zero) });
        using var http = new HttpClient();
        var token = (await TokenAsync(http, zoom, zoom.Options.ClientSecret))["access_token"]!.GetValue<string>();

        using var response = await GetAsync(http, $"{zoom.BaseUrl}v2/accounts/me/recordings?from=2026-01-01&to=2026-03-31&page_size=300", token);
        var page = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("2026-02-01", page["to"]!.GetValue<string>());
        Assert.Equal(zoom.Meetings.Count(m => m.Start < new DateTimeOffset(2026, 2, 2, 0, 0, 0, TimeSpan.Zero)), page["total_records"]!.GetValue<int>());
        Assert.Equal(1, zoom.Traffic.Faults(ZoomFakeFault.Narrowed));
    }

    [Fact]
    public async Task Listing_NextPageToken_ExpiresAfterFifteenMinutes()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero));
        await using var zoom = await ZoomFake.StartAsync(new ZoomFakeOptions { MeetingCount = 20, Time = time });
        using var http = new HttpClient();
        var token = (await TokenAsync(http, zoom, zoom.Options.ClientSecret))["access_token"]!.GetValue<string>();
        var first = $"{zoom.BaseUrl}v2/accounts/me/recordings?from=2026-01-01&to=2026-01-31&page_size=5";

        using var page1 = await GetAsync(http, first, token);
        var next = JsonNode.Parse(await page1.Content.ReadAsStringAsync())!["next_page_token"]!.GetValue<string>();
        time.Advance(TimeSpan.FromMinutes(14));
        using var page2 = await GetAsync(http, $"{first}&next_page_token={next}", token);
        time.Advance(TimeSpan.FromMinutes(2));
        using var late = await GetAsync(http, $"{first}&next_page_token={next}", token);

        Assert.Equal(HttpStatusCode.OK, page2.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, late.StatusCode);
        Assert.Equal(300, JsonNode.Parse(await late.Content.ReadAsStringAsync())!["code"]!.GetValue<int>());
    }

    [Fact]
    public async Task MeetingRecordings_AwkwardUuid_IsFoundOnlyWhenDoubleEncoded()
    {
        await using var zoom = await ZoomFake.StartAsync(new ZoomFakeOptions { AwkwardUuidFraction = 1 });
        using var http = new HttpClient();
        var token = (await TokenAsync(http, zoom, zoom.Options.ClientSecret))["access_token"]!.GetValue<string>();
        var uuid = zoom.Meetings[0].Uuid;
        Assert.True(zoom.Meetings[0].NeedsDoubleEncoding);

        using var once = await GetAsync(http, $"{zoom.BaseUrl}v2/meetings/{Uri.EscapeDataString(uuid)}/recordings", token);
        using var twice = await GetAsync(http, $"{zoom.BaseUrl}v2/meetings/{Uri.EscapeDataString(Uri.EscapeDataString(uuid))}/recordings", token);

        Assert.Equal(HttpStatusCode.NotFound, once.StatusCode);
        Assert.Equal(3301, JsonNode.Parse(await once.Content.ReadAsStringAsync())!["code"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.OK, twice.StatusCode);
        Assert.Equal(uuid, JsonNode.Parse(await twice.Content.ReadAsStringAsync())!["uuid"]!.GetValue<string>());
    }

    [Fact]
    public async Task Download_WantsTheToken_AndRedirectsToASignedStorageUrlThatRefusesAuthorization()
    {
        await using var zoom = await ZoomFake.StartAsync(new ZoomFakeOptions { MeetingCount = 1, AwkwardUuidFraction = 0 });
        using var noRedirects = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false });
        using var http = new HttpClient();
        var token = (await TokenAsync(http, zoom, zoom.Options.ClientSecret))["access_token"]!.GetValue<string>();
        var file = zoom.Meetings[0].Media!;
        var url = $"{zoom.BaseUrl}rec/download/{file.Id}";

        using var anonymous = await http.GetAsync(url);
        using var redirect = await GetAsync(noRedirects, url, token);
        var location = redirect.Headers.Location!;
        using var withAuth = await GetAsync(http, location.AbsoluteUri, token);
        using var signed = await http.GetAsync(location);

        Assert.Equal("text/html", anonymous.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.Found, redirect.StatusCode);
        Assert.StartsWith(zoom.StorageUrl, location.AbsoluteUri, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, withAuth.StatusCode);
        Assert.Equal(file.Content, await signed.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task RateLimits_BeyondMediumPerSecond_Answers429WithZoomHeaders()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero));
        await using var zoom = await ZoomFake.StartAsync(new ZoomFakeOptions { EnforceRateLimits = true, Time = time });
        using var http = new HttpClient();
        var token = (await TokenAsync(http, zoom, zoom.Options.ClientSecret))["access_token"]!.GetValue<string>();
        var url = $"{zoom.BaseUrl}v2/accounts/me/recordings?from=2026-01-01&to=2026-01-31";

        for (var i = 0; i < 20; i++)
        {
            using var admitted = await GetAsync(http, url, token);
            Assert.Equal(HttpStatusCode.OK, admitted.StatusCode);
        }
        using var refused = await GetAsync(http, url, token);
        time.Advance(TimeSpan.FromSeconds(1));
        using var later = await GetAsync(http, url, token);

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("Medium", refused.Headers.GetValues("X-RateLimit-Category").Single());
        Assert.Equal("QPS", refused.Headers.GetValues("X-RateLimit-Type").Single());
        Assert.Equal("20", refused.Headers.GetValues("X-RateLimit-Limit").Single());
        Assert.Equal(429, JsonNode.Parse(await refused.Content.ReadAsStringAsync())!["code"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.OK, later.StatusCode);
    }

    [Fact]
    public async Task Listing_PageSizeAbove300_IsCappedAt300()
    {
        await using var zoom = await ZoomFake.StartAsync(new ZoomFakeOptions { MeetingCount = 320 });
        using var http = new HttpClient();
        var token = (await TokenAsync(http, zoom, zoom.Options.ClientSecret))["access_token"]!.GetValue<string>();

        using var response = await GetAsync(http, $"{zoom.BaseUrl}v2/accounts/me/recordings?from=2026-01-01&to=2026-01-31&page_size=1000", token);
        var page = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(300, page["page_size"]!.GetValue<int>());
        Assert.Equal(300, page["meetings"]!.AsArray().Count);
        Assert.NotEqual("", page["next_page_token"]!.GetValue<string>());
    }

    [Fact]
    public async Task DailyLimit_Answers429WithAnIsoRetryAfterAtMidnightUtc()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 15, 0, 0, TimeSpan.Zero));
        await using var zoom = await ZoomFake.StartAsync(new ZoomFakeOptions { Plan = ZoomFakePlan.Free, EnforceRateLimits = true, Time = time });
        using var http = new HttpClient();
        var token = (await TokenAsync(http, zoom, zoom.Options.ClientSecret))["access_token"]!.GetValue<string>();
        var url = $"{zoom.BaseUrl}v2/accounts/me/recordings?from=2026-01-01&to=2026-01-31";

        // Free plan: Medium is 2 per second and 2,000 per day.
        for (var i = 0; i < 2000; i++)
        {
            using var admitted = await GetAsync(http, url, token);
            Assert.Equal(HttpStatusCode.OK, admitted.StatusCode);
            if (i % 2 == 1) time.Advance(TimeSpan.FromSeconds(1));
        }
        using var refused = await GetAsync(http, url, token);

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("Daily-limit", refused.Headers.GetValues("X-RateLimit-Type").Single());
        Assert.Equal("2026-03-02T00:00:00Z", refused.Headers.GetValues("Retry-After").Single());
    }

    [Fact]
    public async Task PastParticipants_FreePlan_Answers400Code200()
    {
        await using var zoom = await ZoomFake.StartAsync(new ZoomFakeOptions { Plan = ZoomFakePlan.Free, AwkwardUuidFraction = 0 });
        using var http = new HttpClient();
        var token = (await TokenAsync(http, zoom, zoom.Options.ClientSecret))["access_token"]!.GetValue<string>();

        using var response = await GetAsync(http, $"{zoom.BaseUrl}v2/past_meetings/{Uri.EscapeDataString(zoom.Meetings[0].Uuid)}/participants", token);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(200, JsonNode.Parse(await response.Content.ReadAsStringAsync())!["code"]!.GetValue<int>());
    }

    [Fact]
    public async Task PastParticipants_WithoutTheScope_Answers400Code4711()
    {
        await using var zoom = await ZoomFake.StartAsync(new ZoomFakeOptions { AwkwardUuidFraction = 0 });
        zoom.ParticipantsAvailable = false;
        using var http = new HttpClient();
        var token = (await TokenAsync(http, zoom, zoom.Options.ClientSecret))["access_token"]!.GetValue<string>();

        using var response = await GetAsync(http, $"{zoom.BaseUrl}v2/past_meetings/{Uri.EscapeDataString(zoom.Meetings[0].Uuid)}/participants", token);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(4711, JsonNode.Parse(await response.Content.ReadAsStringAsync())!["code"]!.GetValue<int>());
    }

    private static HttpRequestMessage TokenRequest(ZoomFake zoom, string accountId, string secret)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"{zoom.BaseUrl}oauth/token?grant_type=account_credentials&account_id={accountId}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{zoom.Options.ClientId}:{secret}")));
        return request;
    }

    private static async Task<JsonNode> TokenAsync(HttpClient http, ZoomFake zoom, string secret)
    {
        using var response = await http.SendAsync(TokenRequest(zoom, zoom.Options.AccountId, secret));
        response.EnsureSuccessStatusCode();
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    private static Task<HttpResponseMessage> GetAsync(HttpClient http, string url, string token)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http.SendAsync(request);
    }

    private static async Task<List<JsonNode>> MeetingsAsync(HttpClient http, string url, string token)
    {
        using var response = await GetAsync(http, url, token);
        response.EnsureSuccessStatusCode();
        return [.. JsonNode.Parse(await response.Content.ReadAsStringAsync())!["meetings"]!.AsArray().Select(n => n!)];
    }
}
