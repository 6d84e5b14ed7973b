using CallImport.ImportRunner.Platforms;
using CallImport.ImportRunner.Platforms.Manual;

namespace CallImport.ImportRunner.Tests.Platforms.Manual;

public sealed class CsvManifestTests : IDisposable
{
    private readonly UploadFolderFixture _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task CsvManifest_RowsBecomeCallsWithTheirMetadataAndGrade()
    {
        _folder.Recording("2026/jan/kickoff.mp3");
        _folder.Recording("2026/jan/followup.m4a");
        _folder.Write("manifest.csv", """
            file,title,start_time,duration,participants,id
            2026/jan/kickoff.mp3,"Kickoff, with Acme",2026-01-05T14:30:00Z,1830,"Dana Scully <dana@acme.com>; fox@fbi.gov",crm-42
            2026/jan/followup.m4a,Follow-up,2026-01-12T09:00:00+01:00,00:45:10,,
            """);

        var calls = await _folder.FetchAllAsync();

        Assert.Equal(["crm-42", "2026/jan/followup.m4a"], calls.Keys);
        var kickoff = calls["crm-42"].Call!;
        Assert.Equal("Kickoff, with Acme", kickoff.Title);
        Assert.Equal(new DateTimeOffset(2026, 1, 5, 14, 30, 0, TimeSpan.Zero), kickoff.StartedAt);
        Assert.Equal(TimeSpan.FromSeconds(1830), kickoff.Duration);
        Assert.Equal([new SourceParticipant("Dana Scully", "dana@acme.com"), new SourceParticipant(null, "fox@fbi.gov")], kickoff.Participants);
        Assert.Equal("2026/jan/kickoff.mp3", kickoff.MediaLocation);
        Assert.Equal("full", kickoff.ContextData[ManualUploadContext.MetadataQualityKey]);

        var followup = calls["2026/jan/followup.m4a"].Call!;
        Assert.Equal(new DateTimeOffset(2026, 1, 12, 8, 0, 0, TimeSpan.Zero), followup.StartedAt!.Value.ToUniversalTime());
        Assert.Equal(new TimeSpan(0, 45, 10), followup.Duration);
        Assert.Empty(followup.Participants);
        Assert.Equal("partial", followup.ContextData[ManualUploadContext.MetadataQualityKey]);
    }

    [Fact]
    public async Task CsvManifest_ListingCarriesTheManifestStartTime()
    {
        _folder.Recording("a.mp3");
        _folder.Write("manifest.csv", "file,start_time\na.mp3,2026-03-01T10:00:00Z\n");

        var call = Assert.Single(await _folder.ListAsync());

        Assert.Equal(new DateTimeOffset(2026, 3, 1, 10, 0, 0, TimeSpan.Zero), call.StartedAt);
    }

    [Fact]
    public async Task CsvManifest_SemicolonSeparatedExport_IsReadLikeCommaSeparated()
    {
        _folder.Recording("a.mp3");
        _folder.Write("manifest.csv", "file;title;duration\na.mp3;Spreadsheet export;60\n");

        var call = Assert.Single(await _folder.FetchAllAsync()).Value.Call!;

        Assert.Equal("Spreadsheet export", call.Title);
        Assert.Equal(TimeSpan.FromMinutes(1), call.Duration);
    }

    [Fact]
    public async Task CsvManifest_CommaSeparatedWithManySemicolonsInValues_KeepsTheCommaSeparator()
    {
        _folder.Recording("a.mp3");
        _folder.Recording("b.mp3");
        _folder.Write("manifest.csv", """
            file,participants
            a.mp3,a@x.com; b@x.com; c@x.com; d@x.com
            b.mp3,e@x.com; f@x.com; g@x.com
            """);

        var calls = await _folder.FetchAllAsync();

        Assert.Equal(4, calls["a.mp3"].Call!.Participants.Count);
        Assert.Equal(3, calls["b.mp3"].Call!.Participants.Count);
    }

    [Fact]
    public async Task CsvManifest_HeaderInAnyCaseAndEmptyTrailingRows_AreAccepted()
    {
        _folder.Recording("a.mp3");
        _folder.Write("manifest.csv", "File , Title\na.mp3,Named\n,\n,,\n");

        var calls = await _folder.FetchAllAsync();

        Assert.Equal("Named", Assert.Single(calls).Value.Call!.Title);
    }

    [Fact]
    public async Task CsvManifest_WithoutFileColumn_StopsTheListingNamingTheColumn()
    {
        _folder.Recording("a.mp3");
        _folder.Write("manifest.csv", "path,title\na.mp3,x\n");

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => _folder.ListAsync());

        Assert.Contains("'file' column", error.Message, StringComparison.Ordinal);
        Assert.Contains("manifest.csv", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EmptyCsvManifest_RecordingsImportWithoutRows()
    {
        _folder.Recording("a.mp3");
        _folder.Write("manifest.csv", "");

        var calls = await _folder.FetchAllAsync();

        Assert.Equal("minimal", Assert.Single(calls).Value.Call!.ContextData[ManualUploadContext.MetadataQualityKey]);
    }

    [Fact]
    public async Task TwoManifests_StopTheListingNamingBoth()
    {
        _folder.Recording("a.mp3");
        _folder.Write("manifest.csv", "file\na.mp3\n");
        _folder.Write("manifest.jsonl", "{\"file\":\"a.mp3\"}\n");

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => _folder.ListAsync());

        Assert.Contains("manifest.csv, manifest.jsonl", error.Message, StringComparison.Ordinal);
    }
}
