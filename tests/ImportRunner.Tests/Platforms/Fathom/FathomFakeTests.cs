using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CallImport.Testing.Fakes;
using CallImport.Testing.Fakes.Fathom;

namespace CallImport.ImportRunner.Tests.Platforms.Fathom;

/// <summary>The fake behaves as Fathom's documentation says, independent of our client.</summary>
public sealed class FathomFakeTests
{
    [Fact]
    public async Task Meetings_WithoutTheApiKeyHeader_Are401()
    {
        await using var fathom = await FathomFake.StartAsync();
        using var http = new HttpClient();

        using var response = await http.GetAsync(fathom.BaseUrl + "meetings");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Meetings_FilterOnCreatedAt_NotOnTheRecordingsStart()
    {
        await using var fathom = await FathomFake.StartAsync(new FathomFakeOptions { Meetings = 30, PageSize = 100 });
        using var http = new HttpClient();
        http.DefaultRequestHeaders.Add("X-Api-Key", fathom.ApiKey);
        var meeting = fathom.Meetings.OrderBy(m => m.RecordingStart).ElementAt(10);
        var after = meeting.RecordingStart.AddSeconds(1).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'");

        var page = await http.GetFromJsonAsync<JsonObject>(fathom.BaseUrl + "meetings?created_after=" + after);

        var ids = page!["items"]!.AsArray().Select(i => (long)i!["recording_id"]!).ToList();
        Assert.Contains(meeting.RecordingId, ids);
        Assert.Null(page["next_cursor"]?.GetValue<string>());
    }

    [Fact]
    public async Task Catalog_StartsFathom_WithTheScenariosCallsBoundsAndMalformedOnes()
    {
        await using var fake = await VendorFakes.StartAsync("fathom", new VendorFakeScenario { Calls = 12, CallsAtBounds = true, MalformedCalls = 2 });

        Assert.Equal(14, fake.Calls.Count);
        Assert.Equal(2, fake.Calls.Count(c => c.Malformed));
        Assert.All(fake.Calls, c => Assert.Null(c.MediaSha256));
        Assert.False(fake.Capabilities.HasFlag(FakeCapabilities.Media));
    }

    [Fact]
    public async Task Command_UnknownOption_Exits2()
    {
        Assert.Equal(2, await FathomFakeCommand.RunAsync(["--colour", "blue"]));
    }
}
