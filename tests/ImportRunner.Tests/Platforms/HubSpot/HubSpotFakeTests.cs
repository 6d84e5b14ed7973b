using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CallImport.Testing.Fakes;
using CallImport.Testing.Fakes.HubSpot;

namespace CallImport.ImportRunner.Tests.Platforms.HubSpot;

/// <summary>The fake behaves as HubSpot's documentation says, independent of our client.</summary>
public sealed class HubSpotFakeTests
{
    private static HttpClient Client(string token)
    {
        var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new("Bearer", token);
        return http;
    }

    private static object SearchBody(int limit, string? after = null) => new
    {
        filterGroups = new[] { new { filters = new[] { new { propertyName = "hs_timestamp", @operator = "GTE", value = "0" } } } },
        sorts = new[] { new { propertyName = "hs_timestamp", direction = "ASCENDING" } },
        properties = new[] { "hs_timestamp" },
        limit,
        after,
    };

    [Fact]
    public async Task WithoutBearer_401_WithHubSpotsErrorBody()
    {
        await using var hubspot = await HubSpotFake.StartAsync();
        using var http = new HttpClient();

        using var response = await http.PostAsJsonAsync(hubspot.BaseUrl + "crm/v3/objects/calls/search", SearchBody(10));
        var body = await response.Content.ReadFromJsonAsync<JsonObject>();

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("error", body!["status"]!.GetValue<string>());
        Assert.NotNull(body["correlationId"]);
        Assert.NotNull(body["category"]);
    }

    [Fact]
    public async Task Search_PagesWithAfter_AndRefusesPagingPastTenThousand()
    {
        await using var hubspot = await HubSpotFake.StartAsync(new HubSpotFakeOptions { Calls = 10_050, WithMediaFraction = 0, WithTranscriptFraction = 0 });
        using var http = Client(hubspot.PrivateAppToken);

        using var first = await http.PostAsJsonAsync(hubspot.BaseUrl + "crm/v3/objects/calls/search", SearchBody(200));
        var page = await first.Content.ReadFromJsonAsync<JsonObject>();
        using var last = await http.PostAsJsonAsync(hubspot.BaseUrl + "crm/v3/objects/calls/search", SearchBody(200, "9800"));
        using var beyond = await http.PostAsJsonAsync(hubspot.BaseUrl + "crm/v3/objects/calls/search", SearchBody(200, "10000"));
        using var tooBig = await http.PostAsJsonAsync(hubspot.BaseUrl + "crm/v3/objects/calls/search", SearchBody(201));

        Assert.Equal(10_050, page!["total"]!.GetValue<int>());
        Assert.Equal(200, page["results"]!.AsArray().Count);
        Assert.Equal("200", page["paging"]!["next"]!["after"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, last.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, beyond.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, tooBig.StatusCode);
    }

    [Fact]
    public async Task Search_SixthInASecond_Is429_RateLimitBody_NoRetryAfter()
    {
        await using var hubspot = await HubSpotFake.StartAsync(new HubSpotFakeOptions { Calls = 3, EnforceLimits = true });
        using var http = Client(hubspot.PrivateAppToken);

        var answers = new List<HttpResponseMessage>();
        for (var i = 0; i < 6; i++) answers.Add(await http.PostAsJsonAsync(hubspot.BaseUrl + "crm/v3/objects/calls/search", SearchBody(10)));
        var throttled = answers.Where(a => a.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        var body = throttled.Count > 0 ? await throttled[0].Content.ReadFromJsonAsync<JsonObject>() : null;

        Assert.NotEmpty(throttled); // five a second at most (a slow machine may spread six over more than a second)
        Assert.Equal("RATE_LIMIT", body!["errorType"]!.GetValue<string>());
        Assert.Null(throttled[0].Headers.RetryAfter);
        answers.ForEach(a => a.Dispose());
    }

    [Fact]
    public async Task Transcripts_NeedOAuth_PrivateAppTokenGets403MissingScopes()
    {
        await using var hubspot = await HubSpotFake.StartAsync(new HubSpotFakeOptions { Calls = 3 });
        using var privateApp = Client(hubspot.PrivateAppToken);
        using var oauth = Client(hubspot.FirstOAuthToken);
        var path = $"{hubspot.BaseUrl}crm/v3/extensions/calling/transcripts/{hubspot.Calls[0].TranscriptId}";

        using var refused = await privateApp.GetAsync(path);
        using var served = await oauth.GetAsync(path);

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("MISSING_SCOPES", (await refused.Content.ReadFromJsonAsync<JsonObject>())!["category"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
    }

    [Fact]
    public async Task Catalog_StartsHubSpot_MediaTruthOnlyWhereTheImportCanFetchIt()
    {
        await using var fake = await VendorFakes.StartAsync("hubspot", new VendorFakeScenario { Calls = 10, WithMediaFraction = 0.5 });

        Assert.Contains(fake.Calls, c => c.MediaSha256 is not null);
        Assert.Contains(fake.Calls, c => c.MediaSha256 is null);
        Assert.True(fake.Capabilities.HasFlag(FakeCapabilities.ExpiringTokens));
        Assert.Contains("refreshToken", fake.ValidCredentials.Keys);
    }

    [Fact]
    public async Task Command_UnknownOption_Exits2()
    {
        Assert.Equal(2, await HubSpotFakeCommand.RunAsync(["--colour", "blue"]));
    }
}
