using CallImport.ImportRunner.Platforms;
using CallImport.ImportRunner.Platforms.Zoom;

namespace CallImport.ImportRunner.Tests.Platforms.Zoom;

public sealed class ZoomVttTests
{
    [Fact]
    public void Parse_ZoomTranscript_SplitsSpeakerAndTextWithTimes()
    {
        const string vtt = "WEBVTT\r\n\r\n1\r\n00:00:01.250 --> 00:00:04.000\r\nAda Lovelace: Thanks for making the time.\r\n\r\n2\r\n00:01:02.000 --> 00:01:05.500 align:start\r\nJust a line without speaker\r\ncontinued here\r\n\r\nNOTE written by hand\r\n\r\n3\r\n01:00:00.000 --> 01:00:01.000\r\nBen Okafor: Time: 10am works.\r\n";

        var transcript = ZoomVtt.Parse(vtt)!;

        Assert.Equal(
            [
                new TranscriptSegment("Ada Lovelace", TimeSpan.FromMilliseconds(1250), TimeSpan.FromSeconds(4), "Thanks for making the time."),
                new TranscriptSegment(null, TimeSpan.FromSeconds(62), TimeSpan.FromSeconds(65.5), "Just a line without speaker continued here"),
                new TranscriptSegment("Ben Okafor", TimeSpan.FromHours(1), TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1), "Time: 10am works."),
            ],
            transcript.Segments);
    }

    [Theory]
    [InlineData("WEBVTT\n\n")]
    [InlineData("")]
    [InlineData("WEBVTT\n\n1\nnot a time --> either\nAda: hi\n")]
    public void Parse_NoCues_IsNull(string vtt) => Assert.Null(ZoomVtt.Parse(vtt));

    [Fact]
    public void Parse_ShortTimes_MinutesAndSeconds()
    {
        var transcript = ZoomVtt.Parse("WEBVTT\n\n02:03.500 --> 02:04.000\nKai: ok\n")!;

        Assert.Equal(TimeSpan.FromSeconds(123.5), transcript.Segments[0].Start);
    }
}

public sealed class ZoomListingWindowsTests
{
    [Fact]
    public void For_AYear_CoversEveryDayOnceWithADaysMargin_InWindowsOfLessThanAMonth()
    {
        var windows = ZoomListingWindows.For(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero)).ToList();

        Assert.Equal(new DateOnly(2024, 12, 31), windows[0].From);
        Assert.Equal(new DateOnly(2026, 1, 1), windows[^1].To);
        Assert.All(windows, w => Assert.True(w.To < w.From.AddMonths(1) && w.To >= w.From));
        Assert.All(windows.Zip(windows.Skip(1)), pair => Assert.Equal(pair.First.To.AddDays(1), pair.Second.From));
        Assert.InRange(windows.Count, 12, 14);
    }

    [Fact]
    public void For_EmptyRange_IsNoWindow() =>
        Assert.Empty(ZoomListingWindows.For(DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch));
}

public sealed class ZoomApiTests
{
    [Theory]
    [InlineData("4444AAAiAAAAAAAAAAAAAA==", "4444AAAiAAAAAAAAAAAAAA%3D%3D")]
    [InlineData("abc/def==", "abc%2Fdef%3D%3D")]
    [InlineData("/ajXp112QmuoKj4854875==", "%252FajXp112QmuoKj4854875%253D%253D")]
    [InlineData("ab//cd==", "ab%252F%252Fcd%253D%253D")]
    public void UuidSegment_DoubleEncodesOnlyWhatZoomAsksFor(string uuid, string segment) => Assert.Equal(segment, ZoomApi.UuidSegment(uuid));
}

public sealed class ZoomContextFactoryTests
{
    [Fact]
    public void Discover_RunnerAssembly_FindsZoomWithTheSharedSecretKeys()
    {
        var factory = ImportContextCatalog.Discover().Get("zoom");

        Assert.IsType<ZoomContextFactory>(factory);
        Assert.Equal(["accountId", "clientId", "clientSecret"], factory.RequiredCredentialKeys);
        Assert.True(factory.ProvidesMedia);
    }

    [Fact]
    public void Hosts_BaseUrl_ReplacesBothTheApiAndTheOAuthHost()
    {
        var (api, oauth) = ZoomContextFactory.Hosts(new PlatformCredentials(new Dictionary<string, string> { ["baseUrl"] = "http://127.0.0.1:9/zoom" }));
        var (realApi, realOAuth) = ZoomContextFactory.Hosts(new PlatformCredentials(new Dictionary<string, string>()));

        Assert.Equal(("http://127.0.0.1:9/zoom/v2/", "http://127.0.0.1:9/zoom/oauth/token"), (api.AbsoluteUri, oauth.AbsoluteUri));
        Assert.Equal(("https://api.zoom.us/v2/", "https://zoom.us/oauth/token"), (realApi.AbsoluteUri, realOAuth.AbsoluteUri));
    }

    [Fact]
    public void Create_WithoutClientSecret_IsRefusedNamingTheKey()
    {
        using var http = new HttpClient();
        var credentials = new PlatformCredentials(new Dictionary<string, string> { ["accountId"] = "a", ["clientId"] = "c" });

        var error = Assert.Throws<CredentialsRejectedException>(() => new ZoomContextFactory().Create(credentials, http, ImportContextServices.Default));

        Assert.Contains("'clientSecret'", error.Message, StringComparison.Ordinal);
    }
}

public sealed class ZoomSignalsTests
{
    private static readonly Microsoft.Extensions.Time.Testing.FakeTimeProvider Time = new(new DateTimeOffset(2026, 3, 1, 22, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task PerSecond429_WithoutRetryAfter_PausesTheGroupASecond()
    {
        using var response = new HttpResponseMessage(System.Net.HttpStatusCode.TooManyRequests);
        response.Headers.TryAddWithoutValidation("X-RateLimit-Category", "Medium");
        response.Headers.TryAddWithoutValidation("X-RateLimit-Type", "QPS");

        var signal = await ZoomSignals.Instance.ClassifyAsync(response, Time, CancellationToken.None);

        Assert.Equal((ResponseKind.Throttled, TimeSpan.FromSeconds(1)), (signal.Kind, signal.RetryAfter));
        Assert.Contains("Medium", signal.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Daily429_WithAnIsoRetryAfter_PausesUntilThatTime()
    {
        using var response = new HttpResponseMessage(System.Net.HttpStatusCode.TooManyRequests);
        response.Headers.TryAddWithoutValidation("X-RateLimit-Type", "Daily-limit");
        response.Headers.TryAddWithoutValidation("Retry-After", "2026-03-02T00:00:00Z");

        var signal = await ZoomSignals.Instance.ClassifyAsync(response, Time, CancellationToken.None);

        Assert.Equal((ResponseKind.Throttled, TimeSpan.FromHours(2)), (signal.Kind, signal.RetryAfter));
    }

    [Theory]
    [InlineData(500, ResponseKind.Transient)]
    [InlineData(404, ResponseKind.Final)]
    [InlineData(200, ResponseKind.Final)]
    public async Task OtherAnswers_FollowHttp(int status, ResponseKind kind)
    {
        using var response = new HttpResponseMessage((System.Net.HttpStatusCode)status);

        Assert.Equal(kind, (await ZoomSignals.Instance.ClassifyAsync(response, Time, CancellationToken.None)).Kind);
    }
}

public sealed class ZoomLimitsTests
{
    [Theory]
    [InlineData("https://api.zoom.us/v2/accounts/me/recordings?from=2026-01-01", "medium")]
    [InlineData("https://api.zoom.us/v2/users/x/recordings", "medium")]
    [InlineData("https://api.zoom.us/v2/past_meetings/abc%3D%3D/participants", "medium")]
    [InlineData("https://api.zoom.us/v2/meetings/abc%3D%3D/recordings", "light")]
    public void Classify_ByZoomsRateLimitLabel(string url, string group)
    {
        var limits = new ZoomContextFactory().Limits;
        using var request = new HttpRequestMessage(HttpMethod.Get, url);

        Assert.Equal([group], limits.GroupsOf(request).Select(g => g.Name));
    }

    [Fact]
    public void Groups_AreZoomsProPlanPerSecondLimits()
    {
        var limits = new ZoomContextFactory().Limits;

        Assert.Equal([("medium", 20), ("light", 30)], limits.Groups.Select(g => (g.Name, g.PermitLimit)));
        Assert.All(limits.Groups, g => Assert.Equal(TimeSpan.FromSeconds(1), g.Window));
        Assert.Null(limits.RequestsPerDay);
    }
}
