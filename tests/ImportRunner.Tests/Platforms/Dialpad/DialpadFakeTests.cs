using System.Net;
using CallImport.Testing.Fakes;
using CallImport.Testing.Fakes.Dialpad;

namespace CallImport.ImportRunner.Tests.Platforms.Dialpad;

/// <summary>The fake behaves as Dialpad's documentation says, independent of our client.</summary>
public sealed class DialpadFakeTests
{
    [Fact]
    public async Task Calls_AcceptTheKeyAsBearerOrApikeyParameter_Else401()
    {
        await using var dialpad = await DialpadFake.StartAsync();
        using var http = new HttpClient();

        using var none = await http.GetAsync(dialpad.BaseUrl + "call");
        using var parameter = await http.GetAsync(dialpad.BaseUrl + "call?apikey=" + dialpad.ApiKey);

        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        Assert.Equal(HttpStatusCode.OK, parameter.StatusCode);
    }

    [Fact]
    public async Task GetCall_EleventhInAMinute_Is429()
    {
        await using var dialpad = await DialpadFake.StartAsync(new DialpadFakeOptions { Calls = 3, EnforceLimits = true });
        using var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new("Bearer", dialpad.ApiKey);
        var id = dialpad.Calls[0].CallId;

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 11; i++)
        {
            using var response = await http.GetAsync($"{dialpad.BaseUrl}call/{id}");
            statuses.Add(response.StatusCode);
        }

        Assert.All(statuses.Take(10), s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[10]);
    }

    [Fact]
    public async Task Catalog_StartsDialpad_WithRecordingsWhoseHashesAreKnown()
    {
        await using var fake = await VendorFakes.StartAsync("dialpad", new VendorFakeScenario { Calls = 10, WithMediaFraction = 0.5 });

        Assert.Contains(fake.Calls, c => c.MediaSha256 is not null);
        Assert.Contains(fake.Calls, c => c.MediaSha256 is null);
        Assert.True(fake.Capabilities.HasFlag(FakeCapabilities.Media));
    }

    [Fact]
    public async Task Command_UnknownOption_Exits2()
    {
        Assert.Equal(2, await DialpadFakeCommand.RunAsync(["--colour", "blue"]));
    }
}
