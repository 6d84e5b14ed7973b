using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using CallImport.Testing.Fakes.HubSpot;

namespace CallImport.ImportRunner.Tests.Platforms.HubSpot;

/// <summary>The standalone fake (<c>CallImport.Testing hubspot-fake …</c>) as a real process.</summary>
public sealed class HubSpotFakeCommandTests
{
    [Fact]
    public async Task HubSpotFake_Standalone_PrintsBothCredentials_ServesTheSearch_AndStopsOnInterrupt()
    {
        using var fake = FakeProcess.Start("hubspot-fake", "--port", "0", "--calls", "12", "--seed", "3");
        var lines = new List<string>();
        for (var i = 0; i < 4; i++) lines.Add(await fake.ReadLineAsync());
        Assert.StartsWith("HubSpotFake listening on http://127.0.0.1:", lines[0], StringComparison.Ordinal);
        var privateApp = JsonSerializer.Deserialize<Dictionary<string, string>>(lines[2][lines[2].IndexOf('{', StringComparison.Ordinal)..])!;
        var oauth = JsonSerializer.Deserialize<Dictionary<string, string>>(lines[3][lines[3].IndexOf('{', StringComparison.Ordinal)..])!;
        Assert.StartsWith("pat-", privateApp["accessToken"], StringComparison.Ordinal);
        Assert.Contains("refreshToken", oauth.Keys);

        using var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new("Bearer", privateApp["accessToken"]);
        using var search = await http.PostAsJsonAsync(privateApp["baseUrl"] + "crm/v3/objects/calls/search", new { limit = 100, properties = new[] { "hs_timestamp" } }, fake.Timeout);

        Assert.Equal(HttpStatusCode.OK, search.StatusCode);
        Assert.Equal(12, JsonNode.Parse(await search.Content.ReadAsStringAsync(fake.Timeout))!["total"]!.GetValue<int>());

        await fake.InterruptAsync();
    }
}
