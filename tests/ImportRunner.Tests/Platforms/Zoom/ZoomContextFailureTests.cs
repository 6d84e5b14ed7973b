using CallImport.ImportRunner.Platforms;
using CallImport.Testing.Fakes.Zoom;
using Microsoft.Extensions.Time.Testing;

namespace CallImport.ImportRunner.Tests.Platforms.Zoom;

public sealed class ZoomContextFailureTests
{
    [Fact]
    public async Task Fetch_MalformedMeeting_FailsThatCallAlone_WithItsReason()
    {
        await using var zoom = await ZoomFake.StartAsync(new ZoomFakeOptions { MeetingCount = 4 });
        var bad = zoom.Meetings[1].Uuid;
        zoom.Faults.MalformedMeetings(bad);
        using var sut = new ZoomTestContext(zoom);

        var listed = await sut.ListAsync(ZoomTestContext.AllOfJanuary());
        var error = await Assert.ThrowsAsync<PermanentCallException>(() => sut.FetchAsync(bad));
        var good = await sut.FetchAsync(zoom.Meetings[2].Uuid);

        Assert.Contains(listed, c => c.SourceCallId == bad && c.StartedAt is null);
        Assert.Equal(4, listed.Count);
        Assert.Contains("malformed payload", error.Message, StringComparison.Ordinal);
        Assert.Equal(zoom.Meetings[2].Topic, good.Title);
    }

    [Fact]
    public async Task Fetch_DeletedMeeting_FailsPermanently()
    {
        await using var zoom = await ZoomFake.StartAsync(new ZoomFakeOptions { MeetingCount = 2 });
        zoom.Faults.NotFound(zoom.Meetings[0].Uuid);
        using var sut = new ZoomTestContext(zoom);

        var error = await Assert.ThrowsAsync<PermanentCallException>(() => sut.FetchAsync(zoom.Meetings[0].Uuid));

        Assert.Contains("HTTP 404", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TokenExpiringMidImport_IsRenewedOnce_AndTheCallGoesOn()
    {
        await using var zoom = await ZoomFake.StartAsync(new ZoomFakeOptions { MeetingCount = 3 });
        using var sut = new ZoomTestContext(zoom);
        var first = await sut.FetchAsync(zoom.Meetings[0].Uuid);

        zoom.ExpireTokens();
        var second = await sut.FetchAsync(zoom.Meetings[1].Uuid);
        zoom.ExpireTokens();
        var (sha, _) = await sut.MediaAsync(second);

        Assert.Equal(zoom.Meetings[1].Media!.Sha256, sha);
        Assert.Equal(3, zoom.Traffic.Count(ZoomFakeEndpoint.Token));
        Assert.Equal(2, zoom.Traffic.Faults(ZoomFakeFault.ExpiredToken));
        Assert.NotNull(first.Title);
    }

    [Fact]
    public async Task Token_IsAskedForAgainFiveMinutesBeforeItsHourEnds()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero));
        await using var zoom = await ZoomFake.StartAsync(new ZoomFakeOptions { MeetingCount = 2, Time = time });
        using var sut = new ZoomTestContext(zoom, time: time);

        await sut.FetchAsync(zoom.Meetings[0].Uuid);
        time.Advance(TimeSpan.FromMinutes(50));
        await sut.FetchAsync(zoom.Meetings[0].Uuid);
        time.Advance(TimeSpan.FromMinutes(6));
        await sut.FetchAsync(zoom.Meetings[0].Uuid);

        Assert.Equal(2, zoom.Traffic.Count(ZoomFakeEndpoint.Token));
        Assert.Equal(0, zoom.Traffic.Faults(ZoomFakeFault.ExpiredToken));
    }

    [Fact]
    public async Task OpenMedia_ExpiredStorageUrl_AsksZoomAgain_AndDownloads()
    {
        await using var zoom = await ZoomFake.StartAsync(new ZoomFakeOptions { MeetingCount = 1 });
        using var sut = new ZoomTestContext(zoom);
        var call = await sut.FetchAsync(zoom.Meetings[0].Uuid);
        zoom.Faults.ExpiredStorageUrlsNext(1);

        var (sha, _) = await sut.MediaAsync(call);

        Assert.Equal(zoom.Meetings[0].Media!.Sha256, sha);
        Assert.Equal(1, zoom.Traffic.Faults(ZoomFakeFault.StorageUrlExpired));
        // One detail for the fetch, one more for a fresh address after storage refused the first.
        Assert.Equal(2, zoom.Traffic.Count(ZoomFakeEndpoint.MeetingRecordings));
    }

    [Fact]
    public async Task OpenMediaAndTranscript_EachFilesFirstStorageUrlStale_BothRefreshOnce()
    {
        await using var zoom = await ZoomFake.StartAsync(new ZoomFakeOptions { MeetingCount = 4, WithTranscriptFraction = 1 });
        zoom.Faults.ExpireFirstStorageUrlOfEachFile();
        using var sut = new ZoomTestContext(zoom);

        foreach (var meeting in zoom.Meetings)
        {
            var call = await sut.FetchAsync(meeting.Uuid);
            Assert.Equal(meeting.Media!.Sha256, (await sut.MediaAsync(call)).Sha256);
            Assert.NotNull(await sut.Context.FetchTranscriptAsync(call, CancellationToken.None));
        }
        Assert.Equal(8, zoom.Traffic.Faults(ZoomFakeFault.StorageUrlExpired));
    }

    [Fact]
    public async Task OpenMedia_StorageRefusingTwice_IsAnExpiredMediaUrlForTheProcessor()
    {
        await using var zoom = await ZoomFake.StartAsync(new ZoomFakeOptions { MeetingCount = 1 });
        using var sut = new ZoomTestContext(zoom);
        var call = await sut.FetchAsync(zoom.Meetings[0].Uuid);
        zoom.Faults.ExpiredStorageUrlsNext(2);

        await Assert.ThrowsAsync<MediaUrlExpiredException>(() => sut.MediaAsync(call));
    }

    [Fact]
    public async Task OpenMedia_DetailOlderThanAMinute_ReadsTheAddressAgainFirst()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero));
        await using var zoom = await ZoomFake.StartAsync(new ZoomFakeOptions { MeetingCount = 1, Time = time });
        using var sut = new ZoomTestContext(zoom, time: time);
        var call = await sut.FetchAsync(zoom.Meetings[0].Uuid);
        var (fresh, _) = await sut.MediaAsync(call);
        var detailsWhileFresh = zoom.Traffic.Count(ZoomFakeEndpoint.MeetingRecordings);

        time.Advance(TimeSpan.FromMinutes(2));
        var (later, _) = await sut.MediaAsync(call);

        Assert.Equal((1, 2), (detailsWhileFresh, zoom.Traffic.Count(ZoomFakeEndpoint.MeetingRecordings)));
        Assert.Equal(fresh, later);
    }

    [Fact]
    public async Task ServerError_IsTransient()
    {
        await using var zoom = await ZoomFake.StartAsync(new ZoomFakeOptions { MeetingCount = 1 });
        using var sut = new ZoomTestContext(zoom);
        await sut.Context.ValidateCredentialsAsync(CancellationToken.None);
        zoom.Faults.FailNext(1, 500);

        var error = await Assert.ThrowsAsync<TransientCallException>(() => sut.FetchAsync(zoom.Meetings[0].Uuid));

        Assert.Contains("HTTP 500", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StalledAnswer_IsTransient()
    {
        await using var zoom = await ZoomFake.StartAsync(new ZoomFakeOptions { MeetingCount = 1 });
        // An attempt timeout generous enough for a busy machine, far below the stall.
        using var sut = new ZoomTestContext(zoom, timeout: TimeSpan.FromSeconds(5));
        await sut.Context.ValidateCredentialsAsync(CancellationToken.None);
        zoom.Faults.StallNext(1, TimeSpan.FromMinutes(5));

        await Assert.ThrowsAsync<TransientCallException>(() => sut.FetchAsync(zoom.Meetings[0].Uuid));
        var after = await sut.FetchAsync(zoom.Meetings[0].Uuid);

        Assert.Equal(zoom.Meetings[0].Topic, after.Title);
    }
}
