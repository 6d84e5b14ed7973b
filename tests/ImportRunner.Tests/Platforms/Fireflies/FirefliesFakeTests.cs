using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CallImport.Testing.Fakes.Fireflies;

namespace CallImport.ImportRunner.Tests.Platforms.Fireflies;

/// <summary>The fake behaves as Fireflies' documentation says, independent of our client.</summary>
public sealed class FirefliesFakeTests
{
    private static HttpClient Client(FirefliesFake fake, string? key = null)
    {
        var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key ?? fake.ApiKey);
        return http;
    }

    private static async Task<(HttpStatusCode Status, JsonObject Body)> PostAsync(HttpClient http, FirefliesFake fake, string query, object? variables = null)
    {
        using var response = await http.PostAsJsonAsync(fake.BaseUrl + "graphql", new { query, variables });
        return (response.StatusCode, (await response.Content.ReadFromJsonAsync<JsonObject>())!);
    }

    private static string? Code(JsonObject body) => body["errors"]?[0]?["extensions"]?["code"]?.GetValue<string>();

    [Fact]
    public async Task WrongKey_IsAuthFailed_InAnHttp500()
    {
        await using var fake = await FirefliesFake.StartAsync();
        using var http = Client(fake, "nope");

        var (status, body) = await PostAsync(http, fake, "{ user { user_id } }");

        Assert.Equal((HttpStatusCode.InternalServerError, "auth_failed"), (status, Code(body)));
    }

    [Fact]
    public async Task UnknownField_FailsTheWholeQuery_AsAValidationError()
    {
        await using var fake = await FirefliesFake.StartAsync();
        using var http = Client(fake);

        var (status, body) = await PostAsync(http, fake, "{ transcripts { id colour } }");

        Assert.Equal((HttpStatusCode.BadRequest, "GRAPHQL_VALIDATION_FAILED"), (status, Code(body)));
        Assert.Contains("Cannot query field \"colour\" on type \"Transcript\"", body["errors"]![0]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task LimitAbove50_IsInvalidArguments_InAn200()
    {
        await using var fake = await FirefliesFake.StartAsync();
        using var http = Client(fake);

        var (status, body) = await PostAsync(http, fake, "query T($limit: Int) { transcripts(limit: $limit) { id } }", new { limit = 51 });

        Assert.Equal((HttpStatusCode.OK, "invalid_arguments"), (status, Code(body)));
    }

    [Fact]
    public async Task Transcripts_NewestFirst_OffsetPaging_OnlyTheSelectedFields()
    {
        await using var fake = await FirefliesFake.StartAsync(new FirefliesFakeOptions { Meetings = 12 });
        using var http = Client(fake);
        const string query = "query T($skip: Int) { transcripts(limit: 5, skip: $skip) { id date } }";

        var first = (await PostAsync(http, fake, query, new { skip = 0 })).Body["data"]!["transcripts"]!.AsArray();
        var third = (await PostAsync(http, fake, query, new { skip = 10 })).Body["data"]!["transcripts"]!.AsArray();

        var newest = fake.Meetings.OrderByDescending(m => m.Start).ToList();
        Assert.Equal(newest.Take(5).Select(m => m.Id), first.Select(t => t!["id"]!.GetValue<string>()));
        Assert.Equal(2, third.Count);
        Assert.Equal(["id", "date"], first[0]!.AsObject().Select(p => p.Key));
    }

    [Fact]
    public async Task BusinessPlan_61stRequestInAMinute_IsTooManyRequestsInAn200_WithRetryAfterInEpochMs()
    {
        await using var fake = await FirefliesFake.StartAsync(new FirefliesFakeOptions { EnforceLimits = true });
        using var http = Client(fake);
        for (var i = 0; i < 60; i++) Assert.Null(Code((await PostAsync(http, fake, "{ user { user_id } }")).Body));

        var (status, body) = await PostAsync(http, fake, "{ user { user_id } }");

        Assert.Equal((HttpStatusCode.OK, "too_many_requests"), (status, Code(body)));
        var retryAfter = DateTimeOffset.FromUnixTimeMilliseconds(body["errors"]![0]!["extensions"]!["metadata"]!["retryAfter"]!.GetValue<long>());
        Assert.InRange(retryAfter - DateTimeOffset.UtcNow, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(61));
    }

    [Fact]
    public async Task AudioUrl_RefusesAnAuthorizationHeader_AndServesTheBytesWithout()
    {
        await using var fake = await FirefliesFake.StartAsync(new FirefliesFakeOptions { Meetings = 1 });
        using var http = Client(fake);
        var meeting = fake.Meetings[0];
        var url = (await PostAsync(http, fake, "query T($id: String!) { transcript(id: $id) { audio_url } }", new { id = meeting.Id }))
            .Body["data"]!["transcript"]!["audio_url"]!.GetValue<string>();

        using var withAuth = await http.GetAsync(url);
        using var plain = await new HttpClient().GetAsync(url);

        Assert.StartsWith(fake.MediaBaseUrl, url, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, withAuth.StatusCode);
        Assert.Equal(HttpStatusCode.OK, plain.StatusCode);
        Assert.Equal(meeting.Audio, await plain.Content.ReadAsByteArrayAsync());
    }
}
