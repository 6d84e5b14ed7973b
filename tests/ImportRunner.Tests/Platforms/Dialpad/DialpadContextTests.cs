using System.Globalization;
using System.Security.Cryptography;
using CallImport.ImportRunner.Platforms;
using CallImport.ImportRunner.Platforms.Dialpad;
using CallImport.Testing.Fakes.Dialpad;
using static CallImport.ImportRunner.Tests.Platforms.PlatformTestContext;

namespace CallImport.ImportRunner.Tests.Platforms.Dialpad;

public sealed class DialpadContextTests
{
    private static string Id(DialpadFakeCall call) => call.CallId.ToString(CultureInfo.InvariantCulture);

    [Fact]
    public async Task ListCalls_SeveralPages_MsTimesAsNumbersOrStrings_EveryCallOnce_BoundsHalfOpen()
    {
        await using var dialpad = await DialpadFake.StartAsync(new DialpadFakeOptions { Calls = 30, PageSize = 10, CallsAtBounds = true });
        using var sut = new DialpadTestContext(dialpad);

        var calls = await sut.ListAsync(AllOfJanuary());

        var expected = dialpad.Calls.Where(c => c.Started < February).Select(Id).Order().ToList();
        Assert.Equal(31, expected.Count);
        Assert.Equal(expected, calls.Select(c => c.SourceCallId).Order());
        Assert.Contains(dialpad.Calls, c => c.StartAsString);
        Assert.All(calls, c => Assert.Equal(dialpad.Calls.Single(d => Id(d) == c.SourceCallId).Started, c.StartedAt));
        Assert.Equal(4, dialpad.Requests("call"));
    }

    [Fact]
    public async Task FetchCall_UsesTheListedRecord_AndGetCallOnlyWhenTheRecordingIsMissing()
    {
        await using var dialpad = await DialpadFake.StartAsync(new DialpadFakeOptions { Calls = 20, RecordingOnlyInDetailFraction = 0.2 });
        using var sut = new DialpadTestContext(dialpad);
        var listed = await sut.ListAsync(AllOfJanuary());
        var detailOnly = dialpad.Calls.Where(c => c.RecordingOnlyInDetail).Select(Id).ToHashSet();
        Assert.NotEmpty(detailOnly);

        foreach (var reference in listed)
        {
            var call = await sut.Context.FetchCallAsync(reference, CancellationToken.None);
            var truth = dialpad.Calls.Single(c => Id(c) == reference.SourceCallId);
            Assert.Equal(truth.Duration, call.Duration);
            Assert.Equal([Affiliation.Internal, Affiliation.External], call.Participants.Select(p => p.Affiliation));
            Assert.Equal(truth.Target.Email, call.Participants[0].Email);
            Assert.Equal(truth.Contact.Phone, call.Participants[1].Phone);
            await using var media = await sut.Context.OpenMediaAsync(call, CancellationToken.None);
            using var bytes = new MemoryStream();
            await media!.Content.CopyToAsync(bytes);
            Assert.Equal(truth.RecordingSha256, Convert.ToHexStringLower(SHA256.HashData(bytes.ToArray())));
        }

        var getCalls = dialpad.Log.Requests.Where(r => r.LimitGroup == "get-call").Select(r => r.Path["call/".Length..]).Order().ToList();
        Assert.Equal(detailOnly.Order(), getCalls);
    }

    [Fact]
    public async Task FetchTranscript_LinesByUserOrContact_TimedFromTheCallsStart_404IsNone()
    {
        await using var dialpad = await DialpadFake.StartAsync(new DialpadFakeOptions { Calls = 10, WithTranscriptFraction = 0.5 });
        using var sut = new DialpadTestContext(dialpad);
        var listed = await sut.ListAsync(AllOfJanuary());

        foreach (var reference in listed)
        {
            var call = await sut.Context.FetchCallAsync(reference, CancellationToken.None);
            var truth = dialpad.Calls.Single(c => Id(c) == reference.SourceCallId);
            var transcript = await sut.Context.FetchTranscriptAsync(call, CancellationToken.None);
            if (truth.Lines is null)
            {
                Assert.Null(transcript);
                continue;
            }
            Assert.NotNull(transcript);
            Assert.Equal(truth.Lines.Select(l => l.Text), transcript.Segments.Select(s => s.Text));
            Assert.Equal(truth.Lines.Select(l => l.At), transcript.Segments.Select(s => s.Start));
            Assert.Equal(truth.Target.Name, transcript.Segments[0].Speaker);
        }
        Assert.Contains(dialpad.Calls, c => c.Lines is null);
    }

    [Fact]
    public async Task FetchCall_MalformedRecord_FailsThatCallAlone()
    {
        await using var dialpad = await DialpadFake.StartAsync(new DialpadFakeOptions { Calls = 10, MalformedCalls = 2 });
        using var sut = new DialpadTestContext(dialpad);
        var listed = await sut.ListAsync(AllOfJanuary());

        var failed = new List<string>();
        foreach (var reference in listed)
            if (await Record.ExceptionAsync(() => sut.Context.FetchCallAsync(reference, CancellationToken.None)) is { } error)
            {
                Assert.Contains("malformed payload", Assert.IsType<PermanentCallException>(error).Message, StringComparison.Ordinal);
                failed.Add(reference.SourceCallId);
            }

        Assert.Equal(dialpad.Malformed.Select(id => id.ToString(CultureInfo.InvariantCulture)).Order(), failed.Order());
    }

    [Fact]
    public async Task TargetFilter_ReachesDialpad_AndUnknownKeysAreRefusedNamingTheSupportedOnes()
    {
        await using var dialpad = await DialpadFake.StartAsync(new DialpadFakeOptions { Calls = 20 });
        using var sut = new DialpadTestContext(dialpad);

        var alice = await sut.ListAsync(AllOfJanuary(("targetType", "user"), ("targetId", "5001")));
        var unknown = await Assert.ThrowsAsync<ArgumentException>(() => sut.ListAsync(AllOfJanuary(("target_type", "user"))));
        var alone = await Assert.ThrowsAsync<ArgumentException>(() => sut.ListAsync(AllOfJanuary(("targetId", "5001"))));

        Assert.Equal(dialpad.Calls.Where(c => c.Target.Id == 5001).Select(Id).Order(), alice.Select(c => c.SourceCallId).Order());
        Assert.Contains("Supported filters: targetType, targetId", unknown.Message, StringComparison.Ordinal);
        Assert.Contains("go together", alone.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RefusedKey_IsACredentialsRefusal_WithoutTheKey()
    {
        await using var dialpad = await DialpadFake.StartAsync();
        using var sut = new DialpadTestContext(dialpad, apiKey: "dialpad-wrong-key-7a1");

        var error = await Assert.ThrowsAsync<CredentialsRejectedException>(() => sut.Context.ValidateCredentialsAsync(CancellationToken.None));

        Assert.DoesNotContain("dialpad-wrong-key-7a1", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://dialpad.com/api/v2/call/123", new[] { "overall", "get-call" })]
    [InlineData("https://dialpad.com/api/v2/call?started_after=1", new[] { "overall" })]
    [InlineData("https://dialpad.com/api/v2/transcripts/123", new[] { "overall" })]
    public void Limits_GetCallCountsInBothGroups(string url, string[] groups)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        Assert.Equal(groups, new DialpadContextFactory().Limits.GroupsOf(request).Select(g => g.Name));
    }
}
