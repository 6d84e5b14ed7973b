using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using CallImport.Testing.Fakes.Gong;

namespace CallImport.ImportRunner.Tests.Platforms.Gong;

/// <summary>The standalone fake (<c>CallImport.Testing gong-fake …</c>) as a real process, as a demo runs it.</summary>
public sealed class GongFakeCommandTests
{
    [Fact]
    public async Task GongFake_Standalone_PrintsItsTenantHostServesTheSeedAndStopsOnInterrupt()
    {
        using var fake = FakeProcess.Start("gong-fake", "--port", "0", "--calls", "150", "--access-key", "demo-key", "--access-key-secret", "demo-secret",
            "--from", "2025-01-01", "--to", "2025-02-01");
        var first = await fake.ReadLineAsync();
        const string prefix = "GongFake listening on ";
        Assert.StartsWith(prefix, first, StringComparison.Ordinal);
        var baseUrl = first![prefix.Length..].Split(' ')[0];
        Assert.DoesNotContain("demo-secret", first, StringComparison.Ordinal);

        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, baseUrl + "v2/calls?fromDateTime=2025-01-01T00:00:00Z&toDateTime=2025-02-01T00:00:00Z");
        request.Headers.Authorization = new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("demo-key:demo-secret")));
        using var response = await http.SendAsync(request, fake.Timeout);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await response.Content.ReadFromJsonAsync<JsonObject>(fake.Timeout);
        Assert.Equal(100, page!["calls"]!.AsArray().Count);
        Assert.Equal(150, page["records"]!["totalRecords"]!.GetValue<int>());

        await fake.InterruptAsync();
    }

    [Fact]
    public async Task BadOption_PrintsUsageAndExitsWithTwo()
    {
        using var fake = FakeProcess.Start("gong-fake", "--calls", "many");
        var (exitCode, error) = await fake.ExitAsync();

        Assert.Equal(2, exitCode);
        Assert.Contains("gong-fake --port", error, StringComparison.Ordinal);
    }
}
