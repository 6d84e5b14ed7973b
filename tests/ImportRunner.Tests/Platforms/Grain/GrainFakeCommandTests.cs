using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CallImport.Testing.Fakes.Grain;

namespace CallImport.ImportRunner.Tests.Platforms.Grain;

/// <summary>The standalone fake (<c>CallImport.Testing grain-fake …</c>) as a real process, as <c>make demo</c> runs it.</summary>
public sealed class GrainFakeCommandTests
{
    [Fact]
    public async Task GrainFake_Standalone_PrintsItsBaseUrlServesTheSeedAndStopsOnInterrupt()
    {
        using var fake = FakeProcess.Start("grain-fake", "--port", "0", "--recordings", "12", "--api-key", "demo-key", "--seed", "3");
        var first = await fake.ReadLineAsync();
        const string prefix = "GrainFake listening on ";
        Assert.StartsWith(prefix, first, StringComparison.Ordinal);
        var baseUrl = first![prefix.Length..];
        Assert.EndsWith("/_/public-api/", baseUrl, StringComparison.Ordinal);

        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, baseUrl + "v2/recordings") { Content = JsonContent.Create(new { }) };
        request.Headers.Authorization = new("Bearer", "demo-key");
        request.Headers.Add("Public-Api-Version", GrainFake.ApiVersion);
        using var response = await http.SendAsync(request, fake.Timeout);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await response.Content.ReadFromJsonAsync<JsonObject>(fake.Timeout);
        Assert.Equal(10, page!["recordings"]!.AsArray().Count);
        Assert.NotNull(page["cursor"]);

        await fake.InterruptAsync();
    }

    [Fact]
    public async Task UnknownCommand_PrintsUsageAndExitsWithTwo()
    {
        using var fake = FakeProcess.Start("no-such-fake");
        var (exitCode, error) = await fake.ExitAsync();

        Assert.Equal(2, exitCode);
        Assert.Contains("grain-fake --port", error, StringComparison.Ordinal);
    }
}
