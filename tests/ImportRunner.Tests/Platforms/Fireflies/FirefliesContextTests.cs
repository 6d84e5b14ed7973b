using System.Security.Cryptography;
using CallImport.ImportRunner.Limits;
using CallImport.ImportRunner.Platforms;
using CallImport.Testing.Fakes.Fireflies;
using static CallImport.ImportRunner.Tests.Platforms.PlatformTestContext;

namespace CallImport.ImportRunner.Tests.Platforms.Fireflies;

/// <summary>The Fireflies context against the fake, over real HTTP.</summary>
public sealed class FirefliesContextTests
{
    [Fact]
    public async Task ValidateCredentials_WrongKey_AuthFailedIn500_IsARefusalThatNeverNamesTheKey()
    {
        await using var fireflies = await FirefliesFake.StartAsync();
        using var sut = new FirefliesTestContext(fireflies, apiKey: "wrong-fireflies-key-77");

        var error = await Assert.ThrowsAsync<CredentialsRejectedException>(() => sut.Context.ValidateCredentialsAsync(CancellationToken.None));

        Assert.Contains("auth_failed", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-fireflies-key-77", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, fireflies.Log.Count); // final at once: a 500 carrying auth_failed is not retried
    }

    [Fact]
    public async Task ValidateCredentials_WrongAddress_404_SaysCheckBaseUrl()
    {
        await using var fireflies = await FirefliesFake.StartAsync();
        using var http = new HttpClient();
        var credentials = new PlatformCredentials(new Dictionary<string, string> { ["apiKey"] = fireflies.ApiKey, ["baseUrl"] = fireflies.BaseUrl + "v2/" });
        using var connection = PlatformConnection.Open(new CallImport.ImportRunner.Platforms.Fireflies.FirefliesContextFactory(), credentials, ImportContextServices.Default,
            new PlatformConnectionOptions { Limits = PlatformLimits.Unlimited, Retry = new RequestRetrySettings { MaxRetries = 0 } });

        var error = await Assert.ThrowsAsync<CredentialsRejectedException>(() => connection.Context.ValidateCredentialsAsync(CancellationToken.None));

        Assert.Contains("'baseUrl'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_ManyShortPages_EveryMeetingOnce_HalfOpenRange()
    {
        await using var fireflies = await FirefliesFake.StartAsync(new FirefliesFakeOptions { Meetings = 37, MeetingsAtBounds = true });
        using var sut = new FirefliesTestContext(fireflies, pageSize: 10);

        var listed = await sut.ListAsync(AllOfJanuary());

        var expected = fireflies.Meetings.Where(m => m.Start >= January && m.Start < February).Select(m => m.Id).Order().ToList();
        Assert.Equal(expected, listed.Select(c => c.SourceCallId).Order().ToList());
        Assert.Contains(listed, c => c.StartedAt == January);
        Assert.DoesNotContain(listed, c => c.StartedAt == February); // Fireflies' toDate includes it; the import does not
        Assert.Equal(4, fireflies.ApiRequests); // 10 + 10 + 10 + 8 (short: the end)
    }

    [Fact]
    public async Task List_UnknownFilter_FailsBeforeAnyRequest_NamingTheSupportedKeys()
    {
        await using var fireflies = await FirefliesFake.StartAsync();
        using var sut = new FirefliesTestContext(fireflies);

        var error = Assert.Throws<ArgumentException>(() => sut.Context.ValidateQuery(AllOfJanuary(("host", "x"))));

        Assert.Contains("organizers, participants, user_id, mine", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, fireflies.Log.Count);
    }

    [Fact]
    public async Task List_ParticipantsFilter_SentAsFirefliesArgument()
    {
        await using var fireflies = await FirefliesFake.StartAsync(new FirefliesFakeOptions { Meetings = 30 });
        using var sut = new FirefliesTestContext(fireflies);

        var listed = await sut.ListAsync(AllOfJanuary(("participants", "dana@example.org")));

        var expected = fireflies.Meetings.Where(m => m.ParticipantEntries.SelectMany(e => e.Split(',')).Contains("dana@example.org")).Select(m => m.Id).Order();
        Assert.NotEmpty(listed);
        Assert.Equal(expected, listed.Select(c => c.SourceCallId).Order());
    }

    [Fact]
    public async Task FetchCall_OneRequest_BringsMetadataTranscriptAndAudio_DownloadedWithoutAuth()
    {
        await using var fireflies = await FirefliesFake.StartAsync(new FirefliesFakeOptions { Meetings = 3 });
        using var sut = new FirefliesTestContext(fireflies);
        var listed = (await sut.ListAsync(AllOfJanuary()))[0];
        var meeting = fireflies.Meetings.Single(m => m.Id == listed.SourceCallId);
        var before = fireflies.ApiRequests;

        var call = await sut.Context.FetchCallAsync(listed, CancellationToken.None);
        await using var media = await sut.Context.OpenMediaAsync(call, CancellationToken.None);
        var transcript = await sut.Context.FetchTranscriptAsync(call, CancellationToken.None);

        Assert.Equal(before + 1, fireflies.ApiRequests);
        Assert.Equal(meeting.Start, call.StartedAt);
        Assert.Equal(TimeSpan.FromMinutes(meeting.DurationMinutes), call.Duration);
        Assert.Contains(call.Participants, p => p.Email == meeting.OrganizerEmail);
        Assert.NotNull(media);
        using var bytes = new MemoryStream();
        await media.Content.CopyToAsync(bytes);
        Assert.Equal(meeting.AudioSha256, Convert.ToHexStringLower(SHA256.HashData(bytes.ToArray())));
        Assert.Equal(".mp3", media.FileExtension);
        Assert.NotNull(transcript);
        Assert.Equal(meeting.Sentences.Select(s => s.Text), transcript.Segments.Select(s => s.Text));
        Assert.Equal(TimeSpan.FromSeconds(meeting.Sentences[1].Start), transcript.Segments[1].Start);
    }

    [Fact]
    public async Task OpenMedia_ExpiredUrl_IsRefused_ThenAFreshOneIsAskedFor()
    {
        await using var fireflies = await FirefliesFake.StartAsync(new FirefliesFakeOptions { Meetings = 2, MediaUrlLifetime = TimeSpan.Zero });
        using var sut = new FirefliesTestContext(fireflies);
        var call = await sut.Context.FetchCallAsync((await sut.ListAsync(AllOfJanuary()))[0], CancellationToken.None);
        await Task.Delay(1100); // the fake signs to the second: the URL is now past its zero lifetime

        await Assert.ThrowsAsync<MediaUrlExpiredException>(() => sut.Context.OpenMediaAsync(call, CancellationToken.None));
        var before = fireflies.ApiRequests;
        // The processor asks again: the context reads a fresh audio_url (itself already expired here: refused again).
        await Assert.ThrowsAsync<MediaUrlExpiredException>(() => sut.Context.OpenMediaAsync(call, CancellationToken.None));

        Assert.Equal(before + 1, fireflies.ApiRequests);
        Assert.Equal(2, fireflies.Log.CountWithStatus(403));
    }

    [Fact]
    public async Task FetchCall_StillProcessing_IsNotReady_ThenImportsOnceDone()
    {
        await using var fireflies = await FirefliesFake.StartAsync(new FirefliesFakeOptions { Meetings = 1, ProcessingMeetings = 1 });
        using var sut = new FirefliesTestContext(fireflies);
        var listed = Assert.Single(await sut.ListAsync(AllOfJanuary()));

        var notReady = await Assert.ThrowsAsync<CallNotReadyException>(() => sut.Context.FetchCallAsync(listed, CancellationToken.None));
        var call = await sut.Context.FetchCallAsync(listed, CancellationToken.None);

        Assert.Contains("still processing", notReady.Message, StringComparison.Ordinal);
        Assert.NotNull(await sut.Context.FetchTranscriptAsync(call, CancellationToken.None));
        Assert.NotNull(call.MediaLocation);
    }

    [Fact]
    public async Task FetchCall_Malformed_FailsThatCallAlone()
    {
        await using var fireflies = await FirefliesFake.StartAsync(new FirefliesFakeOptions { Meetings = 5, MalformedMeetings = 1 });
        using var sut = new FirefliesTestContext(fireflies);
        var listed = await sut.ListAsync(AllOfJanuary());

        var bad = listed.Single(c => fireflies.Malformed.Contains(c.SourceCallId));
        var error = await Assert.ThrowsAsync<PermanentCallException>(() => sut.Context.FetchCallAsync(bad, CancellationToken.None));

        Assert.Contains("malformed payload", error.Message, StringComparison.Ordinal);
        Assert.Null(bad.StartedAt);
        foreach (var good in listed.Where(c => c != bad))
            Assert.NotNull((await sut.Context.FetchCallAsync(good, CancellationToken.None)).StartedAt);
    }

    [Fact]
    public async Task FetchCall_FreePlanRefusesAudioUrl_ImportsWithoutMedia_AndStopsAskingForIt()
    {
        await using var fireflies = await FirefliesFake.StartAsync(new FirefliesFakeOptions { Meetings = 3, Plan = FirefliesFakePlan.Free });
        using var sut = new FirefliesTestContext(fireflies);
        var listed = await sut.ListAsync(AllOfJanuary());
        var before = fireflies.ApiRequests;

        foreach (var reference in listed)
        {
            var call = await sut.Context.FetchCallAsync(reference, CancellationToken.None);
            Assert.Null(await sut.Context.OpenMediaAsync(call, CancellationToken.None));
            Assert.NotNull(await sut.Context.FetchTranscriptAsync(call, CancellationToken.None));
        }

        Assert.Equal(before + listed.Count, fireflies.ApiRequests); // the partial answer is used; no second query
    }

    [Fact]
    public async Task DailyQuotaSpent_StopsWithFirefliesResetTime_InsteadOfWaitingHours()
    {
        await using var fireflies = await FirefliesFake.StartAsync(new FirefliesFakeOptions { Meetings = 60, Plan = FirefliesFakePlan.Pro, EnforceLimits = true });
        using var sut = new FirefliesTestContext(fireflies, retry: new RequestRetrySettings { MaxRetries = 0, MaxThrottledRetries = 3 });
        var listed = await sut.ListAsync(AllOfJanuary()); // 2 of the day's 50

        var error = await Assert.ThrowsAsync<DailyQuotaExhaustedException>(async () =>
        {
            foreach (var call in listed) await sut.Context.FetchCallAsync(call, CancellationToken.None);
        });

        // Fireflies' own retryAfter (24 h after the day's first request in the fake), not a guessed midnight.
        Assert.NotNull(fireflies.DailyQuotaResetsAt);
        Assert.Equal(fireflies.DailyQuotaResetsAt, error.ResetsAt);
        Assert.Contains("50 requests a day", error.Message, StringComparison.Ordinal);
        Assert.Equal(51, fireflies.ApiRequests); // 50 answered, the 51st refused once and not retried
    }
}
