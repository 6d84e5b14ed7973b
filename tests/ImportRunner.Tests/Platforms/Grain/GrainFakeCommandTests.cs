using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CallImport.Testing.Fakes.Grain;

namespace CallImport.ImportRunner.Tests.Platforms.Grain;

/// <summary>The standalone fake (<c>CallImport.Testing grain-fake …</c>) as a real process, as <c>make demo</c> runs it.</summary>
public sealed class GrainFakeCommandTests
{
    private static Process Start(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(typeof(GrainFake).Assembly.Location);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        return Process.Start(start)!;
    }

    [Fact]
    public async Task GrainFake_Standalone_PrintsItsBaseUrlServesTheSeedAndStopsOnInterrupt()
    {
        using var process = Start("grain-fake", "--port", "0", "--recordings", "12", "--api-key", "demo-key", "--seed", "3");
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            var first = await process.StandardOutput.ReadLineAsync(timeout.Token);
            const string prefix = "GrainFake listening on ";
            Assert.StartsWith(prefix, first, StringComparison.Ordinal);
            var baseUrl = first![prefix.Length..];
            Assert.EndsWith("/_/public-api/", baseUrl, StringComparison.Ordinal);

            using var http = new HttpClient();
            using var request = new HttpRequestMessage(HttpMethod.Post, baseUrl + "v2/recordings") { Content = JsonContent.Create(new { }) };
            request.Headers.Authorization = new("Bearer", "demo-key");
            request.Headers.Add("Public-Api-Version", GrainFake.ApiVersion);
            using var response = await http.SendAsync(request, timeout.Token);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var page = await response.Content.ReadFromJsonAsync<JsonObject>(timeout.Token);
            Assert.Equal(10, page!["recordings"]!.AsArray().Count);
            Assert.NotNull(page["cursor"]);

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
    public async Task UnknownCommand_PrintsUsageAndExitsWithTwo()
    {
        using var process = Start("no-such-fake");
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.Equal(2, process.ExitCode);
        Assert.Contains("grain-fake --port", error, StringComparison.Ordinal);
    }
}
