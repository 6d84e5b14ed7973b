using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using CallImport.Testing.Fakes.Zoom;

namespace CallImport.ImportRunner.Tests.Platforms.Zoom;

/// <summary>The standalone fake (<c>CallImport.Testing zoom-fake …</c>) as a real process.</summary>
public sealed class ZoomFakeCommandTests
{
    [Fact]
    public async Task ZoomFake_Standalone_PrintsItsBaseUrl_IssuesTokens_ServesTheSeed_AndStopsOnInterrupt()
    {
        using var fake = FakeProcess.Start("zoom-fake", "--port", "0", "--meetings", "7", "--client-secret", "demo-secret");
        var first = await fake.ReadLineAsync();
        const string prefix = "ZoomFake listening on ";
        Assert.StartsWith(prefix, first, StringComparison.Ordinal);
        var baseUrl = first![prefix.Length..].Split(' ')[0];

        using var http = new HttpClient();
        using var tokenRequest = new HttpRequestMessage(HttpMethod.Post, baseUrl + "oauth/token?grant_type=account_credentials&account_id=zoom-fake-account");
        tokenRequest.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("zoom-fake-client:demo-secret")));
        using var tokenResponse = await http.SendAsync(tokenRequest, fake.Timeout);
        var token = (await tokenResponse.Content.ReadFromJsonAsync<JsonObject>(fake.Timeout))!["access_token"]!.GetValue<string>();
        using var list = new HttpRequestMessage(HttpMethod.Get, baseUrl + "v2/accounts/me/recordings?from=2026-01-01&to=2026-01-31");
        list.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(list, fake.Timeout);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(7, (await response.Content.ReadFromJsonAsync<JsonObject>(fake.Timeout))!["total_records"]!.GetValue<int>());

        await fake.InterruptAsync();
    }
}
