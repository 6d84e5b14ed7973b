using CallImport.Testing.Fakes;
using CallImport.Testing.Fakes.Zoom;

namespace CallImport.ImportRunner.Tests.Platforms.Zoom;

/// <summary>The catalog's Zoom fake turns a shared scenario into Zoom's own knobs and tells the truth about its calls.</summary>
public sealed class ZoomVendorFakeTests
{
    [Fact]
    public async Task Scenario_BecomesMeetingsBoundsMalformedCallsAndPages()
    {
        await using var fake = await VendorFakes.StartAsync("zoom", new VendorFakeScenario
        {
            Calls = 30, CallsAtBounds = true, MalformedCalls = 2, PageSize = 7, WithMediaFraction = 0.5, WithTranscriptFraction = 0.5, EnforceLimits = true,
        });
        var zoom = Assert.IsType<ZoomVendorFake>(fake);
        using var sut = new ZoomTestContext(zoom.Fake);

        var listed = await sut.ListAsync(ZoomTestContext.AllOfJanuary());

        Assert.Equal(32, fake.Calls.Count);
        Assert.Equal(2, fake.Calls.Count(c => c.Malformed));
        Assert.Contains(fake.Calls, c => c.MediaSha256 is null);
        Assert.Contains(fake.Calls, c => c.MediaSha256 is not null);
        Assert.Contains(fake.Calls, c => !c.HasTranscript);
        Assert.Equal(fake.Calls.Where(c => c.InRange(ZoomTestContext.January, ZoomTestContext.February)).Select(c => c.Id).Order(StringComparer.Ordinal),
            listed.Select(c => c.SourceCallId).Order(StringComparer.Ordinal));
        Assert.True(zoom.Fake.Traffic.Count(ZoomFakeEndpoint.ListAccountRecordings) >= 5, "7 meetings per page at most");
        Assert.Equal([("Light", 30), ("Medium", 20)], fake.Limits.Select(l => (l.Group, l.PermitLimit)));
        Assert.Equal(fake.Traffic.Count, zoom.Fake.Traffic.TotalRequests);
        Assert.NotEqual(fake.ValidCredentials["clientSecret"], fake.RefusedCredentials["clientSecret"]);
    }
}
