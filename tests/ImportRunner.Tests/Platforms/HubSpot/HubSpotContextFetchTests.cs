using System.Security.Cryptography;
using CallImport.ImportRunner.Limits;
using CallImport.ImportRunner.Platforms;
using CallImport.Testing.Fakes.HubSpot;
using static CallImport.ImportRunner.Tests.Platforms.PlatformTestContext;

namespace CallImport.ImportRunner.Tests.Platforms.HubSpot;

public sealed class HubSpotContextFetchTests
{
    private static int Requests(HubSpotFake fake, string pathStart) => fake.Log.Requests.Count(r => r.Path.StartsWith(pathStart, StringComparison.Ordinal));

    [Fact]
    public async Task FetchCall_OneBatchOfRequestsServesThePage_OwnerInternal_ContactsExternal_DurationInMs()
    {
        await using var hubspot = await HubSpotFake.StartAsync(new HubSpotFakeOptions { Calls = 40 });
        using var sut = new HubSpotTestContext(hubspot);
        var listed = await sut.ListAsync(AllOfJanuary());

        foreach (var reference in listed)
        {
            var call = await sut.Context.FetchCallAsync(reference, CancellationToken.None);
            var truth = hubspot.Calls.Single(c => c.IdText == reference.SourceCallId);
            Assert.Equal(truth.Duration, call.Duration);
            Assert.Equal(truth.Timestamp, call.StartedAt);
            var owner = call.Participants[0];
            Assert.Equal(Affiliation.Internal, owner.Affiliation);
            Assert.EndsWith("@acme.com", owner.Email, StringComparison.Ordinal);
            Assert.Equal(truth.ContactIds.Count, call.Participants.Count(p => p.Affiliation == Affiliation.External));
            Assert.All(call.Participants.Skip(1), p => Assert.Contains("@customer", p.Email, StringComparison.Ordinal));
        }

        Assert.Equal(1, Requests(hubspot, "crm/v3/objects/calls/batch/read"));
        Assert.Equal(1, Requests(hubspot, "crm/v4/associations/calls/contacts/batch/read"));
        Assert.Equal(1, Requests(hubspot, "crm/v3/objects/contacts/batch/read"));
        Assert.Equal(1, hubspot.Log.Requests.Count(r => r.Path is "crm/v3/owners" or "crm/v3/owners/"));
        // The deactivated owner is looked up alone, once.
        Assert.Equal(hubspot.Calls.Any(c => c.OwnerId == "109") ? 1 : 0, Requests(hubspot, "crm/v3/owners/109"));
    }

    [Fact]
    public async Task OpenMedia_ProviderRecordingsStreamByteForByte_OnesNeedingProviderAuthImportWithout()
    {
        await using var hubspot = await HubSpotFake.StartAsync(new HubSpotFakeOptions { Calls = 30, WithMediaFraction = 0.8, ProviderAuthFraction = 0.3 });
        using var sut = new HubSpotTestContext(hubspot);
        var listed = await sut.ListAsync(AllOfJanuary());

        foreach (var reference in listed)
        {
            var truth = hubspot.Calls.Single(c => c.IdText == reference.SourceCallId);
            var call = await sut.Context.FetchCallAsync(reference, CancellationToken.None);
            await using var media = await sut.Context.OpenMediaAsync(call, CancellationToken.None);
            if (!truth.HasRecording || truth.RecordingNeedsProviderAuth)
            {
                Assert.Null(media);
                continue;
            }
            using var bytes = new MemoryStream();
            await media!.Content.CopyToAsync(bytes);
            Assert.Equal(truth.RecordingSha256, Convert.ToHexStringLower(SHA256.HashData(bytes.ToArray())));
            Assert.Equal(".mp3", media.FileExtension);
        }
        Assert.Contains(hubspot.Calls, c => c.RecordingNeedsProviderAuth);
        Assert.Contains(hubspot.Log.Requests, r => r.LimitGroup == "provider" && r.Status == 401);
        Assert.False(hubspot.LeakedAuthorization, "the HubSpot token was sent to the calling provider");
    }

    [Fact]
    public async Task FetchCall_ACallHubSpotNoLongerReturns_FailsPermanently_NamingWhy()
    {
        await using var hubspot = await HubSpotFake.StartAsync(new HubSpotFakeOptions { Calls = 3 });
        using var sut = new HubSpotTestContext(hubspot);

        var error = await Assert.ThrowsAsync<PermanentCallException>(() => sut.Context.FetchCallAsync(new CallReference("31999999999"), CancellationToken.None));

        Assert.Contains("returned no record", error.Message, StringComparison.Ordinal);
        Assert.Contains(hubspot.Log.Requests, r => r.Status == 207); // HubSpot's partial batch answer
    }

    [Fact]
    public async Task FetchTranscript_WithOAuth_UtterancesBySpeaker_WithAPrivateAppToken_NoneAndNoRequest()
    {
        await using var hubspot = await HubSpotFake.StartAsync(new HubSpotFakeOptions { Calls = 12, WithTranscriptFraction = 0.6 });
        using var oauth = new HubSpotTestContext(hubspot);
        using var privateApp = new HubSpotTestContext(hubspot, hubspot.PrivateAppCredentials);
        var listed = await oauth.ListAsync(AllOfJanuary());

        foreach (var reference in listed)
        {
            var truth = hubspot.Calls.Single(c => c.IdText == reference.SourceCallId);
            var transcript = await oauth.Context.FetchTranscriptAsync(await oauth.Context.FetchCallAsync(reference, CancellationToken.None), CancellationToken.None);
            Assert.Null(await privateApp.Context.FetchTranscriptAsync(await privateApp.Context.FetchCallAsync(reference, CancellationToken.None), CancellationToken.None));
            if (truth.Utterances is null)
            {
                Assert.Null(transcript);
                continue;
            }
            Assert.Equal(truth.Utterances.Select(u => u.Text), transcript!.Segments.Select(s => s.Text));
            Assert.Equal(truth.Utterances.Select(u => u.At), transcript.Segments.Select(s => s.Start));
            Assert.Equal(truth.Utterances.Select(u => (TimeSpan?)u.End), transcript.Segments.Select(s => s.End));
            Assert.Equal("Customer", transcript.Segments[1].Speaker);
        }
        Assert.Contains(hubspot.Calls, c => c.Utterances is null);
        // Transcripts asked only with the OAuth token, once per call that has one.
        Assert.Equal(hubspot.Calls.Count(c => c.Utterances is not null), Requests(hubspot, "crm/v3/extensions/calling/transcripts/"));
        Assert.DoesNotContain(hubspot.Log.Requests, r => r.Status == 403);
    }

    [Fact]
    public async Task FetchCall_MalformedRecord_FailsThatCallAlone()
    {
        await using var hubspot = await HubSpotFake.StartAsync(new HubSpotFakeOptions { Calls = 15, MalformedCalls = 2 });
        using var sut = new HubSpotTestContext(hubspot);
        var listed = await sut.ListAsync(AllOfJanuary());

        var failed = new List<string>();
        foreach (var reference in listed)
            if (await Record.ExceptionAsync(() => sut.Context.FetchCallAsync(reference, CancellationToken.None)) is { } error)
            {
                Assert.Contains("malformed payload (hs_timestamp", Assert.IsType<PermanentCallException>(error).Message, StringComparison.Ordinal);
                failed.Add(reference.SourceCallId);
            }

        Assert.Equal(hubspot.Malformed.Select(id => id.ToString(System.Globalization.CultureInfo.InvariantCulture)).Order(), failed.Order());
    }

    [Fact]
    public async Task RefusedToken_IsACredentialsRefusal_WithoutTheToken()
    {
        await using var hubspot = await HubSpotFake.StartAsync();
        const string token = "pat-na1-wrong-7a1b";
        using var sut = new HubSpotTestContext(hubspot, new Dictionary<string, string> { ["accessToken"] = token, ["baseUrl"] = hubspot.BaseUrl });

        var error = await Assert.ThrowsAsync<CredentialsRejectedException>(() => sut.Context.ValidateCredentialsAsync(CancellationToken.None));

        Assert.Contains("HTTP 401 INVALID_AUTHENTICATION", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(token, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OAuth_WithRefreshKeys_StartsWithAFreshToken_AndRenewsOneHubSpotRefusedMidImport()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var hubspot = await HubSpotFake.StartAsync(new HubSpotFakeOptions { Calls = 30, MaxPageSize = 10, Time = time, TokenLifetime = TimeSpan.FromMinutes(30) });
        using var sut = new HubSpotTestContext(hubspot);

        var first = await sut.ListAsync(AllOfJanuary());
        time.Advance(TimeSpan.FromMinutes(31)); // HubSpot's clock: the token has expired (ours has not noticed)
        var second = await sut.ListAsync(AllOfJanuary());
        foreach (var reference in second) await sut.Context.FetchCallAsync(reference, CancellationToken.None);

        Assert.Equal(first.Select(c => c.SourceCallId), second.Select(c => c.SourceCallId));
        Assert.Equal(2, hubspot.Log.Requests.Count(r => r.LimitGroup == "oauth")); // the first token, then one renewal after the 401
        Assert.Single(hubspot.Log.Requests, r => r.Status == 401);
        Assert.DoesNotContain(hubspot.Log.Requests, r => r.Status >= 400 && r.Status != 401);
    }

    [Fact]
    public async Task OAuth_OnlyTheRefreshKeys_NoAccessToken_ListsFetchesAndReadsTranscripts()
    {
        await using var hubspot = await HubSpotFake.StartAsync(new HubSpotFakeOptions { Calls = 8, WithTranscriptFraction = 1 });
        using var sut = new HubSpotTestContext(hubspot, hubspot.RefreshOnlyCredentials);

        var listed = await sut.ListAsync(AllOfJanuary());
        var transcripts = new List<Transcript?>();
        foreach (var reference in listed)
            transcripts.Add(await sut.Context.FetchTranscriptAsync(await sut.Context.FetchCallAsync(reference, CancellationToken.None), CancellationToken.None));

        Assert.Equal(8, listed.Count);
        Assert.All(transcripts, t => Assert.NotEmpty(t!.Segments)); // OAuth: the transcripts API answered
        Assert.Single(hubspot.Log.Requests, r => r.LimitGroup == "oauth"); // one token from the refresh grant served them all
        Assert.DoesNotContain(hubspot.Log.Requests, r => r.Status >= 400);
    }

    [Fact]
    public async Task FetchCall_BatchReadFailsTransiently_TheCallKeepsItsBatchUntilTheRunSaysItEnded()
    {
        var hubspot = await HubSpotFake.StartAsync(new HubSpotFakeOptions { Calls = 12 });
        using var sut = new HubSpotTestContext(hubspot, hubspot.PrivateAppCredentials);
        List<CallReference> listed;
        try
        {
            listed = await sut.ListAsync(AllOfJanuary());
        }
        finally
        {
            await hubspot.DisposeAsync(); // HubSpot unreachable from here on: every read fails transiently
        }
        var context = (CallImport.ImportRunner.Platforms.HubSpot.HubSpotContext)sut.Context;

        await Assert.ThrowsAsync<TransientCallException>(() => sut.Context.FetchCallAsync(listed[0], CancellationToken.None));
        Assert.Equal(12, context.HeldCalls); // a later attempt of the call still finds its batch

        sut.Context.CallEnded(listed[0].SourceCallId); // out of attempts: the run is done with it
        Assert.Equal(11, context.HeldCalls);
    }

    [Fact]
    public async Task FetchCall_InALaterRun_BatchFromTheListingPayload_HoldsOnlyThePendingPeers()
    {
        await using var hubspot = await HubSpotFake.StartAsync(new HubSpotFakeOptions { Calls = 12 });
        List<CallReference> listed;
        using (var firstRun = new HubSpotTestContext(hubspot, hubspot.PrivateAppCredentials)) listed = await firstRun.ListAsync(AllOfJanuary());
        using var laterRun = new HubSpotTestContext(hubspot, hubspot.PrivateAppCredentials);
        var context = (CallImport.ImportRunner.Platforms.HubSpot.HubSpotContext)laterRun.Context;
        string[] pending = [listed[0].SourceCallId, listed[5].SourceCallId];

        laterRun.Context.CallsPending(pending.ToHashSet(StringComparer.Ordinal));
        await laterRun.Context.FetchCallAsync(listed[0], CancellationToken.None);

        // The other pending call still finds the batch; the ten peers done earlier were never registered.
        Assert.Equal(1, context.HeldCalls);
        await laterRun.Context.FetchCallAsync(listed[5], CancellationToken.None);
        Assert.Equal(0, context.HeldCalls);
        Assert.Equal(1, Requests(hubspot, "crm/v3/objects/calls/batch/read"));
    }

    [Fact]
    public async Task ServerErrors_AreRetriedByThePipeline_AndTheListingIsComplete()
    {
        await using var hubspot = await HubSpotFake.StartAsync(new HubSpotFakeOptions { Calls = 60, MaxPageSize = 10, ServerErrorFraction = 0.2 });
        using var sut = new HubSpotTestContext(hubspot, retry: new RequestRetrySettings { MaxRetries = 10, BaseDelay = TimeSpan.FromMilliseconds(1), MaxDelay = TimeSpan.FromMilliseconds(5) });

        var calls = await sut.ListAsync(AllOfJanuary());

        Assert.Equal(60, calls.Count);
        Assert.True(hubspot.Log.CountWithStatus(500) > 0);
    }
}
