using CallImport.ImportRunner.Platforms.Grain;
using CallImport.Testing.Fakes.Grain;
using static CallImport.ImportRunner.Tests.Platforms.PlatformTestContext;

namespace CallImport.ImportRunner.Tests.Platforms.Grain;

public sealed class GrainContextListingTests
{
    [Fact]
    public async Task ListCalls_SeveralPages_YieldsEverySeededRecordingOnce()
    {
        await using var grain = await GrainFake.StartAsync(new GrainFakeOptions { RecordingCount = 35, PageSize = 10 });
        using var sut = new GrainTestContext(grain);

        var calls = await sut.ListAsync(AllOfJanuary());

        Assert.Equal(grain.Recordings.Select(r => r.Id).Order(), calls.Select(c => c.SourceCallId).Order());
        Assert.Equal(4, grain.Traffic.Requests(GrainFakeEndpoint.ListRecordings));
        Assert.All(calls, c => Assert.Equal(grain.Recordings.Single(r => r.Id == c.SourceCallId).Start, c.StartedAt));
    }

    [Fact]
    public async Task ListCalls_DateRange_YieldsOnlyRecordingsStartingInsideIt()
    {
        await using var grain = await GrainFake.StartAsync(new GrainFakeOptions { RecordingCount = 40 });
        using var sut = new GrainTestContext(grain);
        var from = January.AddDays(10);
        var to = January.AddDays(20);

        var calls = await sut.ListAsync(Query(from, to));

        var expected = grain.Recordings.Where(r => r.Start >= from && r.Start < to).Select(r => r.Id).Order().ToList();
        Assert.NotEmpty(expected);
        Assert.True(expected.Count < grain.Recordings.Count);
        Assert.Equal(expected, calls.Select(c => c.SourceCallId).Order());
    }

    [Fact]
    public async Task ListCalls_EmptyPagesWithCursorMidListing_ContinuesToTheEnd()
    {
        await using var grain = await GrainFake.StartAsync(new GrainFakeOptions { RecordingCount = 30, PageSize = 10 });
        grain.Faults.EmptyPagesBefore(page: 2, count: 2);
        using var sut = new GrainTestContext(grain);

        var calls = await sut.ListAsync(AllOfJanuary());

        Assert.Equal(2, grain.Traffic.Faults(GrainFakeFault.EmptyPage));
        Assert.Equal(grain.Recordings.Select(r => r.Id).Order(), calls.Select(c => c.SourceCallId).Order());
    }

    [Fact]
    public async Task ListCalls_EmptyPagesWithCursorNeverEnding_StopsAfterTheBoundWithEveryRecording()
    {
        await using var grain = await GrainFake.StartAsync(new GrainFakeOptions { RecordingCount = 20, PageSize = 10 });
        grain.Faults.TrailingEmptyPages(int.MaxValue);
        using var sut = new GrainTestContext(grain);

        var calls = await sut.ListAsync(AllOfJanuary());

        Assert.Equal(20, calls.Count);
        Assert.Equal(2 + GrainContext.MaxEmptyPagesInARow, grain.Traffic.Requests(GrainFakeEndpoint.ListRecordings));
    }

    [Fact]
    public async Task ListCalls_ParticipantScopeFilter_ReturnsWhatGrainFilters()
    {
        await using var grain = await GrainFake.StartAsync(new GrainFakeOptions { RecordingCount = 40 });
        using var sut = new GrainTestContext(grain);

        var calls = await sut.ListAsync(AllOfJanuary(("participant_scope", "internal")));

        var expected = grain.Recordings.Where(r => !r.HasExternalParticipant).Select(r => r.Id).Order().ToList();
        Assert.NotEmpty(expected);
        Assert.Equal(expected, calls.Select(c => c.SourceCallId).Order());
    }

    [Fact]
    public async Task ListCalls_UnknownFilter_FailsNamingItAndTheSupportedOnesBeforeAnyRequest()
    {
        await using var grain = await GrainFake.StartAsync();
        using var sut = new GrainTestContext(grain);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => sut.ListAsync(AllOfJanuary(("speaker", "Ada"))));

        Assert.Contains("'speaker'", error.Message, StringComparison.Ordinal);
        Assert.All(GrainListFilter.Supported, key => Assert.Contains(key, error.Message, StringComparison.Ordinal));
        Assert.Equal(0, grain.Traffic.TotalRequests);
    }

    [Fact]
    public async Task ListCalls_ParticipantScopeOutsideGrainsValues_FailsBeforeAnyRequest()
    {
        await using var grain = await GrainFake.StartAsync();
        using var sut = new GrainTestContext(grain);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => sut.ListAsync(AllOfJanuary(("participant_scope", "everyone"))));

        Assert.Contains("'everyone'", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, grain.Traffic.TotalRequests);
    }
}
