using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CallImport.Testing.Fakes.RingCentral;

namespace CallImport.ImportRunner.Tests.Platforms.RingCentral;

/// <summary>The standalone fake (<c>CallImport.Testing ringcentral-fake …</c>) as a real process.</summary>
public sealed class RingCentralFakeCommandTests
{
    [Fact]
    public async Task RingCentralFake_Standalone_PrintsItsCredentials_ServesTheCallLog_AndStopsOnInterrupt()
    {
        using var fake = FakeProcess.Start("ringcentral-fake", "--port", "0", "--calls", "12", "--limits", "none", "--seed", "3");
        var first = await fake.ReadLineAsync();
        var second = await fake.ReadLineAsync();
        Assert.StartsWith("RingCentralFake listening on http://127.0.0.1:", first, StringComparison.Ordinal);
        Assert.StartsWith("Credentials: ", second, StringComparison.Ordinal);
        var credentials = JsonSerializer.Deserialize<Dictionary<string, string>>(second!["Credentials: ".Length..])!;

        using var http = new HttpClient();
        using var grant = new HttpRequestMessage(HttpMethod.Post, credentials["baseUrl"] + "/restapi/oauth/token")
        {
            Content = new FormUrlEncodedContent([new("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"), new("assertion", credentials["jwt"])]),
        };
        grant.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{credentials["clientId"]}:{credentials["clientSecret"]}")));
        using var token = await http.SendAsync(grant, fake.Timeout);
        var accessToken = JsonNode.Parse(await token.Content.ReadAsStringAsync(fake.Timeout))!["access_token"]!.GetValue<string>();
        using var list = new HttpRequestMessage(HttpMethod.Get, credentials["baseUrl"] + "/restapi/v1.0/account/~/call-log?dateFrom=2026-01-01T00:00:00Z&dateTo=2026-02-01T00:00:00Z");
        list.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        using var page = await http.SendAsync(list, fake.Timeout);

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.True(JsonNode.Parse(await page.Content.ReadAsStringAsync(fake.Timeout))!["records"]!.AsArray().Count >= 12);

        await fake.InterruptAsync();
    }

    [Fact]
    public async Task BadOption_PrintsUsageAndExitsWithTwo()
    {
        using var fake = FakeProcess.Start("ringcentral-fake", "--limits", "lots");
        var (exitCode, error) = await fake.ExitAsync();

        Assert.Equal(2, exitCode);
        Assert.Contains("--limits wants documented or none", error, StringComparison.Ordinal);
    }
}
