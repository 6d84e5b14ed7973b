using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using CallImport.Testing.Fakes.RingCentral;
using Microsoft.Extensions.Time.Testing;

namespace CallImport.ImportRunner.Tests.Platforms.RingCentral;

/// <summary>The fake's own promises, taken from RingCentral's documentation: tokens, call log, usage plan.</summary>
public sealed class RingCentralFakeTests
{
    private static readonly DateTimeOffset March = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

    private static HttpRequestMessage TokenRequest(RingCentralFake fake, params (string, string)[] form)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, fake.BaseUrl + "/restapi/oauth/token")
        {
            Content = new FormUrlEncodedContent(form.Select(f => new KeyValuePair<string, string>(f.Item1, f.Item2))),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{fake.Options.ClientId}:{fake.Options.ClientSecret}")));
        return request;
    }

    private static async Task<JsonObject> JwtTokenAsync(HttpClient http, RingCentralFake fake)
    {
        using var response = await http.SendAsync(TokenRequest(fake, ("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"), ("assertion", fake.Options.Jwt)));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
    }

    private static async Task<(HttpStatusCode, JsonObject)> GetAsync(HttpClient http, string url, string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, body.StartsWith('{') ? JsonNode.Parse(body)!.AsObject() : []);
    }

    [Fact]
    public async Task RefreshToken_WorksOnce_AndAReusedOneIsRefusedWithRingCentralsError()
    {
        await using var fake = await RingCentralFake.StartAsync();
        using var http = new HttpClient();
        var first = await JwtTokenAsync(http, fake);
        var refreshToken = first["refresh_token"]!.GetValue<string>();

        using var refreshed = await http.SendAsync(TokenRequest(fake, ("grant_type", "refresh_token"), ("refresh_token", refreshToken)));
        using var reused = await http.SendAsync(TokenRequest(fake, ("grant_type", "refresh_token"), ("refresh_token", refreshToken)));
        var reusedBody = JsonNode.Parse(await reused.Content.ReadAsStringAsync())!;
        var oldAccess = await GetAsync(http, fake.BaseUrl + "/restapi/v1.0/account/~/extension/~", first["access_token"]!.GetValue<string>());

        Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
        Assert.Equal(3600, first["expires_in"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.BadRequest, reused.StatusCode);
        Assert.Equal("invalid_grant", reusedBody["error"]!.GetValue<string>());
        Assert.Equal("OAU-211", reusedBody["errors"]![0]!["errorCode"]!.GetValue<string>());
        // Refreshing invalidates the previous access token at once.
        Assert.Equal(HttpStatusCode.Unauthorized, oldAccess.Item1);
    }

    [Fact]
    public async Task TokenRequest_WithWrongClientSecretOrJwt_IsRefused()
    {
        await using var fake = await RingCentralFake.StartAsync();
        using var http = new HttpClient();
        using var badClient = TokenRequest(fake, ("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"), ("assertion", fake.Options.Jwt));
        badClient.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{fake.Options.ClientId}:wrong")));

        using var clientRefused = await http.SendAsync(badClient);
        using var grantRefused = await http.SendAsync(TokenRequest(fake, ("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"), ("assertion", "not-the-jwt")));

        Assert.Equal(HttpStatusCode.Unauthorized, clientRefused.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, grantRefused.StatusCode);
        Assert.Equal(0, fake.TokensIssued);
    }

    [Fact]
    public async Task CallLog_WithoutDateFrom_ReturnsOnlyTheLastDayBeforeDateTo()
    {
        await using var fake = await RingCentralFake.StartAsync(new RingCentralFakeOptions { CallCount = 62 }); // two a day in January
        using var http = new HttpClient();
        var token = (await JwtTokenAsync(http, fake))["access_token"]!.GetValue<string>();

        var (_, oneDay) = await GetAsync(http, fake.BaseUrl + "/restapi/v1.0/account/~/call-log?dateTo=2026-01-20T00:00:00.000Z&perPage=1000", token);
        var (_, month) = await GetAsync(http, fake.BaseUrl + "/restapi/v1.0/account/~/call-log?dateFrom=2026-01-01T00:00:00.000Z&dateTo=2026-02-01T00:00:00.000Z&perPage=1000", token);

        var allRecords = fake.Calls.Sum(c => c.Records.Count);
        Assert.Equal(allRecords, month["records"]!.AsArray().Count);
        Assert.InRange(oneDay["records"]!.AsArray().Count, 1, 6);
        Assert.All(oneDay["records"]!.AsArray(), r => Assert.StartsWith("2026-01-19", r!["startTime"]!.GetValue<string>(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task CallLog_PagesNewestFirst_WithNextPageUntilTheLast_AndDetailedAddsLegs()
    {
        await using var fake = await RingCentralFake.StartAsync(new RingCentralFakeOptions { CallCount = 25 });
        using var http = new HttpClient();
        var token = (await JwtTokenAsync(http, fake))["access_token"]!.GetValue<string>();

        var starts = new List<string>();
        var url = fake.BaseUrl + "/restapi/v1.0/account/~/call-log?view=Detailed&dateFrom=2026-01-01T00:00:00.000Z&dateTo=2026-02-01T00:00:00.000Z&perPage=10";
        var pages = 0;
        while (url is not null)
        {
            var (status, page) = await GetAsync(http, url, token);
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.All(page["records"]!.AsArray(), r => Assert.NotNull(r!["legs"]));
            starts.AddRange(page["records"]!.AsArray().Select(r => r!["startTime"]!.GetValue<string>()));
            url = page["navigation"]?["nextPage"]?["uri"]?.GetValue<string>();
            pages++;
        }

        Assert.Equal(fake.Calls.Sum(c => c.Records.Count), starts.Count);
        Assert.Equal(starts.OrderDescending(StringComparer.Ordinal), starts);
        Assert.Equal((starts.Count + 9) / 10, pages);
    }

    [Fact]
    public async Task InternalCall_IsTwoRecordsSharingATelephonySession_WithExtensionsOnBothEnds()
    {
        await using var fake = await RingCentralFake.StartAsync(new RingCentralFakeOptions { CallCount = 40, InternalCallFraction = 0.5 });
        var internalCall = fake.Calls.First(c => c.IsInternal);

        Assert.Equal(2, internalCall.Records.Count);
        Assert.Single(internalCall.Records.Select(r => r.TelephonySessionId).Distinct());
        Assert.Equal(["Inbound", "Outbound"], internalCall.Records.Select(r => r.Direction).Order());
        Assert.All(internalCall.Records, r => Assert.NotNull(r.From.ExtensionId));
        Assert.All(fake.Calls.Where(c => c.DurationSeconds < 30), c => Assert.Null(c.Recording));
    }

    [Fact]
    public async Task RecordingContent_NeedsTheBearerToken_AndServesTheSeededBytes()
    {
        await using var fake = await RingCentralFake.StartAsync(new RingCentralFakeOptions { CallCount = 10, RecordedFraction = 1, ShortCallFraction = 0 });
        using var http = new HttpClient();
        var token = (await JwtTokenAsync(http, fake))["access_token"]!.GetValue<string>();
        var recording = fake.Calls[0].Recording!;
        var content = $"{fake.BaseUrl}/restapi/v1.0/account/{fake.Options.AccountId}/recording/{recording.Id}/content";

        using var anonymous = await http.GetAsync(content);
        using var authorised = new HttpRequestMessage(HttpMethod.Get, content);
        authorised.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var served = await http.SendAsync(authorised);

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Equal(recording.Content, await served.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task HeavyGroup_OverItsLimit_Answers429CMN301_AndEveryRequestInThePenaltyRestartsIt()
    {
        var time = new FakeTimeProvider(March);
        await using var fake = await RingCentralFake.StartAsync(new RingCentralFakeOptions { UsagePlan = RingCentralFakeUsagePlan.Documented, Time = time, CallCount = 5 });
        using var http = new HttpClient();
        var token = (await JwtTokenAsync(http, fake))["access_token"]!.GetValue<string>();
        var callLog = fake.BaseUrl + "/restapi/v1.0/account/~/call-log?dateFrom=2026-01-01T00:00:00.000Z&dateTo=2026-02-01T00:00:00.000Z";

        for (var i = 0; i < 10; i++) Assert.Equal(HttpStatusCode.OK, (await GetAsync(http, callLog, token)).Item1);
        using var over = new HttpRequestMessage(HttpMethod.Get, callLog);
        over.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var refused = await http.SendAsync(over);
        var refusedBody = JsonNode.Parse(await refused.Content.ReadAsStringAsync())!;
        var light = await GetAsync(http, fake.BaseUrl + "/restapi/v1.0/account/~/extension/~", token);
        time.Advance(TimeSpan.FromSeconds(59));
        var knockedDuringPenalty = await GetAsync(http, callLog, token); // restarts the 60 s penalty
        time.Advance(TimeSpan.FromSeconds(59));
        var stillPenalised = await GetAsync(http, callLog, token);
        time.Advance(TimeSpan.FromSeconds(61));
        var afterQuiet = await GetAsync(http, callLog, token);

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(60), refused.Headers.RetryAfter?.Delta);
        Assert.Equal("heavy", refused.Headers.GetValues("X-Rate-Limit-Group").Single());
        Assert.Equal("10", refused.Headers.GetValues("X-Rate-Limit-Limit").Single());
        Assert.Equal("60", refused.Headers.GetValues("X-Rate-Limit-Window").Single());
        Assert.Equal("CMN-301", refusedBody["errorCode"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, light.Item1); // another group is not penalised
        Assert.Equal(HttpStatusCode.TooManyRequests, knockedDuringPenalty.Item1);
        Assert.Equal(HttpStatusCode.TooManyRequests, stillPenalised.Item1);
        Assert.Equal(HttpStatusCode.OK, afterQuiet.Item1);
        Assert.Equal(2, fake.Traffic.Faults(RingCentralFakeFault.PenaltyRestarted));
    }

    [Fact]
    public async Task ExpiredAccessToken_Answers401TokenInvalid()
    {
        await using var fake = await RingCentralFake.StartAsync();
        using var http = new HttpClient();
        var token = (await JwtTokenAsync(http, fake))["access_token"]!.GetValue<string>();

        fake.ExpireAccessTokens();
        var (status, body) = await GetAsync(http, fake.BaseUrl + "/restapi/v1.0/account/~/extension/~", token);

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("TokenInvalid", body["errorCode"]!.GetValue<string>());
        Assert.Equal(1, fake.Traffic.Faults(RingCentralFakeFault.TokenExpired));
    }

    [Fact]
    public async Task SameSeed_SameCalls()
    {
        await using var a = await RingCentralFake.StartAsync(new RingCentralFakeOptions { Seed = 7 });
        await using var b = await RingCentralFake.StartAsync(new RingCentralFakeOptions { Seed = 7 });

        Assert.Equal(a.Calls.Select(c => (c.TelephonySessionId, c.Start, c.Recording?.Sha256)), b.Calls.Select(c => (c.TelephonySessionId, c.Start, c.Recording?.Sha256)));
    }
}
