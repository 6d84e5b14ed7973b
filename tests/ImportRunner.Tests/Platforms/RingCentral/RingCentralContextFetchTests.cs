using System.Security.Cryptography;
using CallImport.ImportRunner.Platforms;
using CallImport.Testing.Fakes.RingCentral;

namespace CallImport.ImportRunner.Tests.Platforms.RingCentral;

public sealed class RingCentralContextFetchTests
{
    [Fact]
    public async Task FetchCall_MakesNoRequest_AndMediaComesFromTheContentUriRebasedOnBaseUrl()
    {
        await using var fake = await RingCentralFake.StartAsync(new RingCentralFakeOptions { CallCount = 12, RecordedFraction = 1, ShortCallFraction = 0, InternalCallFraction = 0.3 });
        using var rc = new RingCentralTestContext(fake);
        var listed = await rc.ListAsync(RingCentralTestContext.AllOfJanuary());
        var afterListing = fake.Traffic.TotalRequests;

        var sources = new List<SourceCall>();
        foreach (var call in listed) sources.Add(await rc.Context.FetchCallAsync(call, CancellationToken.None));
        Assert.Equal(afterListing, fake.Traffic.TotalRequests);

        foreach (var source in sources)
        {
            var truth = fake.Calls.Single(c => c.TelephonySessionId == source.SourceCallId);
            Assert.StartsWith(RingCentralFake.RealMediaHost, source.MediaLocation, StringComparison.Ordinal);
            await using var media = await rc.Context.OpenMediaAsync(source, CancellationToken.None);
            using var copy = new MemoryStream();
            await media!.Content.CopyToAsync(copy);
            Assert.Equal(truth.Recording!.Sha256, Convert.ToHexStringLower(SHA256.HashData(copy.ToArray())));
            Assert.Equal(truth.Recording.Content.Length, media.Length);
            Assert.Equal(truth.Recording.ContentType == "audio/wav" ? ".wav" : ".mp3", media.FileExtension);
        }
        Assert.Equal(listed.Count, fake.Traffic.Requests.Count(r => r.Path.EndsWith("/content", StringComparison.Ordinal) && r.Status == 200));
    }

    [Fact]
    public async Task ShortCall_HasNoRecording_AndInternalCallHasInternalParticipantsOnly()
    {
        await using var fake = await RingCentralFake.StartAsync(new RingCentralFakeOptions { CallCount = 40, ShortCallFraction = 0.3, InternalCallFraction = 0.3 });
        using var rc = new RingCentralTestContext(fake);
        var listed = await rc.ListAsync(RingCentralTestContext.AllOfJanuary());
        var shortCall = fake.Calls.First(c => c.DurationSeconds < 30);
        var internalCall = fake.Calls.First(c => c.IsInternal);

        var shortSource = await rc.Context.FetchCallAsync(listed.Single(c => c.SourceCallId == shortCall.TelephonySessionId), CancellationToken.None);
        var internalSource = await rc.Context.FetchCallAsync(listed.Single(c => c.SourceCallId == internalCall.TelephonySessionId), CancellationToken.None);

        Assert.Null(await rc.Context.OpenMediaAsync(shortSource, CancellationToken.None));
        Assert.Equal(2, internalSource.Participants.Count);
        Assert.All(internalSource.Participants, p => Assert.Equal(Affiliation.Internal, p.Affiliation));
        Assert.Null(await rc.Context.FetchTranscriptAsync(internalSource, CancellationToken.None));
    }

    [Fact]
    public async Task MalformedRecord_FailsItsCallAlone()
    {
        await using var fake = await RingCentralFake.StartAsync(new RingCentralFakeOptions { CallCount = 10 });
        var bad = fake.Calls[4];
        fake.Faults.MalformedRecords(bad.Records[0].Id);
        using var rc = new RingCentralTestContext(fake);
        var listed = await rc.ListAsync(RingCentralTestContext.AllOfJanuary());

        var failures = new List<string>();
        foreach (var call in listed)
        {
            try { await rc.Context.FetchCallAsync(call, CancellationToken.None); }
            catch (PermanentCallException e) { failures.Add(call.SourceCallId + ": " + e.Message); }
        }

        Assert.Equal(10, listed.Count);
        var failure = Assert.Single(failures);
        Assert.StartsWith(bad.TelephonySessionId, failure, StringComparison.Ordinal);
        Assert.Contains("malformed payload", failure, StringComparison.Ordinal);
    }
}
