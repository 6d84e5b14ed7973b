using System.Diagnostics;
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
    private static Process Start(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(typeof(RingCentralFake).Assembly.Location);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        return Process.Start(start)!;
    }

    [Fact]
    public async Task RingCentralFake_Standalone_PrintsItsCredentials_ServesTheCallLog_AndStopsOnInterrupt()
    {
        using var process = Start("ringcentral-fake", "--port", "0", "--calls", "12", "--limits", "none", "--seed", "3");
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            var first = await process.StandardOutput.ReadLineAsync(timeout.Token);
            var second = await process.StandardOutput.ReadLineAsync(timeout.Token);
            Assert.StartsWith("RingCentralFake listening on http://127.0.0.1:", first, StringComparison.Ordinal);
            Assert.StartsWith("Credentials: ", second, StringComparison.Ordinal);
            var credentials = JsonSerializer.Deserialize<Dictionary<string, string>>(second!["Credentials: ".Length..])!;

            using var http = new HttpClient();
            using var grant = new HttpRequestMessage(HttpMethod.Post, credentials["baseUrl"] + "/restapi/oauth/token")
            {
                Content = new FormUrlEncodedContent([new("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"), new("assertion", credentials["jwt"])]),
            };
            grant.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{credentials["clientId"]}:{credentials["clientSecret"]}")));
            using var token = await http.SendAsync(grant, timeout.Token);
            var accessToken = JsonNode.Parse(await token.Content.ReadAsStringAsync(timeout.Token))!["access_token"]!.GetValue<string>();
            using var list = new HttpRequestMessage(HttpMethod.Get, credentials["baseUrl"] + "/restapi/v1.0/account/~/call-log?dateFrom=2026-01-01T00:00:00Z&dateTo=2026-02-01T00:00:00Z");
            list.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
            using var page = await http.SendAsync(list, timeout.Token);

            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.True(JsonNode.Parse(await page.Content.ReadAsStringAsync(timeout.Token))!["records"]!.AsArray().Count >= 12);

            using var interrupt = Process.Start("kill", ["-INT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            await process.WaitForExitAsync(timeout.Token);
            Assert.Equal(0, process.ExitCode);
        }
        finally
        {
            if (!process.HasExited) process.Kill();
        }
    }

    [Fact]
    public async Task BadOption_PrintsUsageAndExitsWithTwo()
    {
        using var process = Start("ringcentral-fake", "--limits", "lots");
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.Equal(2, process.ExitCode);
        Assert.Contains("--limits wants documented or none", error, StringComparison.Ordinal);
    }
}
