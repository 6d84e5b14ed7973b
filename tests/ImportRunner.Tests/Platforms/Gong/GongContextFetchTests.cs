using CallImport.ImportRunner.Platforms;
using CallImport.ImportRunner.Platforms.Gong;
using CallImport.Testing.Fakes.Gong;
using Microsoft.Extensions.Time.Testing;

namespace CallImport.ImportRunner.Tests.Platforms.Gong;

public sealed class GongContextFetchTests
{
    private static Affiliation Expected(string affiliation) => affiliation switch
    {
        "Internal" => Affiliation.Internal,
        "External" => Affiliation.External,
        _ => Affiliation.Unknown,
    };

    [Fact]
    public async Task FetchCall_MapsMetadataAndPartiesWithGongsOwnAffiliation()
    {
        await using var gong = await GongFake.StartAsync(new GongFakeOptions { CallCount = 40, PrivateFraction = 0 });
        using var sut = new GongTestContext(gong);
        var listed = await sut.ListAsync(GongTestContext.AllOfJanuary());
        // One with every kind of party the seed makes, so each mapping is exercised.
        var expected = gong.Calls.First(c => c.Parties.Any(p => p.PhoneNumber is not null) && c.Parties.Any(p => p.Affiliation == "External"));

        var call = await sut.FetchAsync(listed.Single(c => c.SourceCallId == expected.Id));

        Assert.Equal(expected.Id, call.SourceCallId);
        Assert.Equal(expected.Title, call.Title);
        Assert.Equal(expected.Started, call.StartedAt);
        Assert.Equal(TimeSpan.FromSeconds(expected.DurationSeconds), call.Duration);
        Assert.Equal(expected.Url, call.WebUrl);
        Assert.Equal(expected.Parties.Select(p => new SourceParticipant(p.Name, p.EmailAddress, Expected(p.Affiliation), p.PhoneNumber)), call.Participants);
    }

    [Fact]
    public async Task ImportOfAMonth_AllCallsFetched_CostsOneExtensiveAndOneTranscriptRequestPerHundredCalls()
    {
        await using var gong = await GongFake.StartAsync(new GongFakeOptions { CallCount = 250, RateLimit = null, PrivateFraction = 0 });
        using var sut = new GongTestContext(gong);
        var listed = await sut.ListAsync(GongTestContext.AllOfJanuary());

        // Processed in parallel, as the runner does: concurrent calls of one batch share its requests.
        await Parallel.ForEachAsync(listed, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (reference, _) =>
        {
            var call = await sut.FetchAsync(reference);
            await sut.MediaBytesAsync(call);
            await sut.TranscriptAsync(call);
        });

        Assert.Equal((3, 3, 3), (gong.Traffic.RequestsTo(GongFakeEndpoint.ListCalls), gong.Traffic.RequestsTo(GongFakeEndpoint.Extensive), gong.Traffic.RequestsTo(GongFakeEndpoint.Transcript)));
        Assert.True(gong.Traffic.ApiRequests / 250.0 < 0.05, $"{gong.Traffic.ApiRequests} API requests for 250 calls");
        Assert.All(gong.Calls, c => Assert.Equal(1, gong.Traffic.ExtensiveRequestsFor(c.Id)));
    }

    [Fact]
    public async Task TenThousandCalls_FitInOneDaysQuota_WithRoomToSpare()
    {
        // Gong's daily cap enforced by the fake (its per-second limit is the pipeline's business, not measured here).
        await using var gong = await GongFake.StartAsync(new GongFakeOptions
        {
            CallCount = 10_000, MediaFraction = 0, RateLimit = new GongFakeRateLimit(PerSecond: 10_000, PerDay: 10_000),
            CallsFrom = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero), CallsTo = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero),
        });
        using var sut = new GongTestContext(gong);
        var listed = await sut.ListAsync(GongTestContext.Query(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero)));

        var skipped = 0;
        await Parallel.ForEachAsync(listed, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (reference, _) =>
        {
            try
            {
                await sut.TranscriptAsync(await sut.FetchAsync(reference));
            }
            catch (CallSkippedException)
            {
                Interlocked.Increment(ref skipped);
            }
        });

        Assert.Equal(10_000, listed.Count);
        Assert.Equal(gong.Calls.Count(c => c.IsPrivate), skipped);
        Assert.Equal(0, gong.Traffic.Faults(GongFakeFault.DailyLimit));
        Assert.True(gong.Traffic.ApiRequests <= 300, $"{gong.Traffic.ApiRequests} requests for 10,000 calls");
    }

    [Fact]
    public async Task OpenMedia_SignedUrl_BytesIdenticalAndDownloadedWithoutAuthorization()
    {
        await using var gong = await GongFake.StartAsync(new GongFakeOptions { CallCount = 30, MediaFraction = 1, PrivateFraction = 0 });
        using var sut = new GongTestContext(gong);
        var listed = await sut.ListAsync(GongTestContext.AllOfJanuary());

        foreach (var reference in listed.Take(10))
        {
            var call = await sut.FetchAsync(reference);
            Assert.Equal(gong.Call(reference.SourceCallId).ImportedMedia, await sut.MediaBytesAsync(call));
        }

        Assert.Equal(10, sut.Sent.Count(s => s.Path.StartsWith("/storage/", StringComparison.Ordinal)));
        Assert.All(sut.Sent.Where(s => s.Path.StartsWith("/storage/", StringComparison.Ordinal)), s => Assert.Null(s.Authorization));
        Assert.All(sut.Sent.Where(s => s.Path.StartsWith("/v2/", StringComparison.Ordinal)), s => Assert.StartsWith("Basic ", s.Authorization, StringComparison.Ordinal));
        Assert.Equal(0, gong.Traffic.Faults(GongFakeFault.StorageAuthorizationRefused));
    }

    [Fact]
    public async Task OpenMedia_AudioPreferred_VideoWhenThereIsNoAudio_NothingWithoutRecording()
    {
        await using var gong = await GongFake.StartAsync(new GongFakeOptions { CallCount = 60, MediaFraction = 0.7, PrivateFraction = 0 });
        using var sut = new GongTestContext(gong);
        var listed = await sut.ListAsync(GongTestContext.AllOfJanuary());

        foreach (var reference in listed)
        {
            var call = await sut.FetchAsync(reference);
            await using var media = await sut.Context.OpenMediaAsync(call, CancellationToken.None);
            var expected = gong.Call(reference.SourceCallId);
            Assert.Equal(expected.Audio is not null ? ".mp3" : expected.Video is not null ? ".mp4" : null, media?.FileExtension);
            if (media is not null) Assert.Equal(expected.ImportedMedia!.Length, media.Length);
        }
    }

    [Fact]
    public async Task OpenMedia_CachedUrlOlderThanTheMargin_AsksGongAgainForThatCallAlone()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero));
        await using var gong = await GongFake.StartAsync(new GongFakeOptions { CallCount = 20, MediaFraction = 1, PrivateFraction = 0, Time = time, RateLimit = null });
        using var sut = new GongTestContext(gong, time: time);
        var listed = await sut.ListAsync(GongTestContext.AllOfJanuary());
        var first = await sut.FetchAsync(listed[0]);
        var second = await sut.FetchAsync(listed[1]);
        Assert.NotNull(await sut.MediaBytesAsync(first));

        time.Advance(GongContext.MediaUrlMaxAge + TimeSpan.FromMinutes(1));
        var bytes = await sut.MediaBytesAsync(second);

        Assert.Equal(gong.Call(listed[1].SourceCallId).ImportedMedia, bytes);
        Assert.Equal(2, gong.Traffic.ExtensiveRequestsFor(listed[1].SourceCallId));
        Assert.Equal(1, gong.Traffic.ExtensiveRequestsFor(listed[2].SourceCallId));
    }

    [Fact]
    public async Task OpenMedia_UrlRefusedByStorage_FetchesAFreshOneAndDownloads()
    {
        await using var gong = await GongFake.StartAsync(new GongFakeOptions { CallCount = 10, MediaFraction = 1, PrivateFraction = 0 });
        using var sut = new GongTestContext(gong);
        var listed = await sut.ListAsync(GongTestContext.AllOfJanuary());
        var call = await sut.FetchAsync(listed[3]);
        gong.Faults.RefuseMediaNext(1);

        var bytes = await sut.MediaBytesAsync(call);

        Assert.Equal(gong.Call(call.SourceCallId).ImportedMedia, bytes);
        Assert.Equal(1, gong.Traffic.Faults(GongFakeFault.MediaUrlExpired));
        Assert.Equal(2, gong.Traffic.ExtensiveRequestsFor(call.SourceCallId));
    }

    [Fact]
    public async Task OpenMedia_FreshUrlRefusedToo_SaysExpiredAndTheNextOpenAsksAgain()
    {
        await using var gong = await GongFake.StartAsync(new GongFakeOptions { CallCount = 10, MediaFraction = 1, PrivateFraction = 0, RateLimit = null });
        using var sut = new GongTestContext(gong);
        var listed = await sut.ListAsync(GongTestContext.AllOfJanuary());
        var call = await sut.FetchAsync(listed[0]);
        gong.Faults.RefuseMediaNext(2);

        await Assert.ThrowsAsync<MediaUrlExpiredException>(() => sut.MediaBytesAsync(call));
        var bytes = await sut.MediaBytesAsync(call);

        Assert.Equal(gong.Call(call.SourceCallId).ImportedMedia, bytes);
        Assert.Equal(3, gong.Traffic.ExtensiveRequestsFor(call.SourceCallId));
    }

    [Fact]
    public async Task FetchTranscript_MapsSpeakerIdsToPartyNamesWithMillisecondTimes()
    {
        await using var gong = await GongFake.StartAsync(new GongFakeOptions { CallCount = 20, TranscriptFraction = 1, PrivateFraction = 0 });
        using var sut = new GongTestContext(gong);
        var listed = await sut.ListAsync(GongTestContext.AllOfJanuary());
        var expected = gong.Call(listed[5].SourceCallId);

        var transcript = await sut.TranscriptAsync(await sut.FetchAsync(listed[5]));

        Assert.NotNull(transcript);
        var names = expected.Parties.ToDictionary(p => p.SpeakerId, p => p.Name ?? p.EmailAddress ?? p.PhoneNumber);
        var segments = expected.Transcript
            .SelectMany(m => m.Sentences.Select(s => new TranscriptSegment(names[m.SpeakerId], TimeSpan.FromMilliseconds(s.Start), TimeSpan.FromMilliseconds(s.End), s.Text)))
            .OrderBy(s => s.Start);
        Assert.Equal(segments, transcript.Segments);
    }

    [Fact]
    public async Task FetchTranscript_CallWithoutTranscript_ReturnsNullSoTranscriptionIsQueued()
    {
        await using var gong = await GongFake.StartAsync(new GongFakeOptions { CallCount = 30, TranscriptFraction = 0.5, PrivateFraction = 0 });
        using var sut = new GongTestContext(gong);
        var listed = await sut.ListAsync(GongTestContext.AllOfJanuary());
        var without = listed.First(c => !gong.Call(c.SourceCallId).HasTranscript);

        Assert.Null(await sut.TranscriptAsync(await sut.FetchAsync(without)));
    }

    [Fact]
    public async Task FetchCall_PrivateCall_IsSkippedWithTheReason_WithoutAnyRequest()
    {
        await using var gong = await GongFake.StartAsync(new GongFakeOptions { CallCount = 40, PrivateFraction = 0.3 });
        using var sut = new GongTestContext(gong);
        var listed = await sut.ListAsync(GongTestContext.AllOfJanuary());
        var requests = gong.Traffic.ApiRequests;
        var hidden = listed.First(c => gong.Call(c.SourceCallId).IsPrivate);

        var skipped = await Assert.ThrowsAsync<CallSkippedException>(() => sut.FetchAsync(hidden));

        Assert.Contains("private", skipped.Message, StringComparison.Ordinal);
        Assert.Contains(hidden.SourceCallId, skipped.Message, StringComparison.Ordinal);
        Assert.Equal(requests, gong.Traffic.ApiRequests);
    }

    [Fact]
    public async Task FetchCall_PrivateOnlyInTheDetails_IsSkippedToo()
    {
        await using var gong = await GongFake.StartAsync(new GongFakeOptions { CallCount = 40, PrivateFraction = 0.3 });
        using var sut = new GongTestContext(gong);
        var hidden = gong.Calls.First(c => c.IsPrivate);

        await Assert.ThrowsAsync<CallSkippedException>(() => sut.FetchAsync(new CallReference(hidden.Id)));
    }

    [Fact]
    public async Task EveryCallEnded_PrivateOnesToo_NoBatchIsHeldAnyLonger()
    {
        // A batch holds the details and transcripts of all its calls while any of them still needs it; a private
        // call (skipped) must let go too, or a 10,000-call import ends holding every call's details.
        await using var gong = await GongFake.StartAsync(new GongFakeOptions { CallCount = 150, RateLimit = null, PrivateFraction = 0.2 });
        using var sut = new GongTestContext(gong);
        var listed = await sut.ListAsync(GongTestContext.AllOfJanuary());
        var context = (GongContext)sut.Context;
        Assert.Equal(150, context.HeldCalls);

        var skipped = 0;
        foreach (var reference in listed)
        {
            try
            {
                var call = await sut.FetchAsync(reference);
                await sut.MediaBytesAsync(call);
                await sut.TranscriptAsync(call);
            }
            catch (CallSkippedException)
            {
                skipped++;
            }
        }

        Assert.Equal(gong.Calls.Count(c => c.IsPrivate), skipped);
        Assert.True(skipped > 0);
        Assert.Equal(0, context.HeldCalls);
    }

    [Fact]
    public async Task ResumedRun_NewContextWithStoredListingPayloads_StillBatchesByHundred()
    {
        await using var gong = await GongFake.StartAsync(new GongFakeOptions { CallCount = 200, RateLimit = null, PrivateFraction = 0 });
        List<CallReference> listed;
        using (var lister = new GongTestContext(gong)) listed = await lister.ListAsync(GongTestContext.AllOfJanuary());
        gong.Traffic.Reset();
        // A later process: it did not list, it has what the store kept per call.
        using var sut = new GongTestContext(gong);

        foreach (var reference in listed.Select(c => new CallReference(c.SourceCallId, c.StartedAt, c.ListingPayload)))
            await sut.TranscriptAsync(await sut.FetchAsync(reference));

        Assert.Equal(2, gong.Traffic.RequestsTo(GongFakeEndpoint.Extensive));
        Assert.Equal(2, gong.Traffic.RequestsTo(GongFakeEndpoint.Transcript));
    }
}
