using CallImport.ImportRunner.Platforms;

namespace CallImport.ImportRunner.Tests.Platforms.Manual;

public sealed class ManifestRowFailureTests : IDisposable
{
    private readonly UploadFolderFixture _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task RowWhoseFileIsMissing_IsListedAndFailsPermanently_OthersImport()
    {
        _folder.Recording("present.mp3");
        _folder.Write("manifest.csv", "file,title\npresent.mp3,Here\nlost.mp3,Gone\n");

        var calls = await _folder.FetchAllAsync();

        Assert.Equal("Here", calls["present.mp3"].Call!.Title);
        Assert.Equal("manifest.csv row 3: file 'lost.mp3' not found", calls["lost.mp3"].Failure);
    }

    [Fact]
    public async Task RowWithMalformedDate_FailsNamingRowAndColumn_OthersImport()
    {
        _folder.Recording("a.mp3");
        _folder.Recording("b.mp3");
        _folder.Write("manifest.csv", "file,start_time\na.mp3,2026-01-05T10:00:00Z\nb.mp3,last tuesday\n");

        var calls = await _folder.FetchAllAsync();

        Assert.NotNull(calls["a.mp3"].Call);
        var failure = calls["b.mp3"].Failure;
        Assert.NotNull(failure);
        Assert.StartsWith("manifest.csv row 3: column 'start_time': 'last tuesday'", failure, StringComparison.Ordinal);
        // The failing row keeps its file: the file is not imported a second time as a recording without a row.
        Assert.Equal(2, calls.Count);
    }

    [Fact]
    public async Task RowWithTimeWithoutOffset_FailsBecauseItsZoneIsUnknown()
    {
        _folder.Recording("a.mp3");
        _folder.Write("manifest.csv", "file,start_time\na.mp3,2026-01-05T10:00:00\n");

        var calls = await _folder.FetchAllAsync();

        Assert.Contains("RFC 3339 time with an offset", calls["a.mp3"].Failure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RowWithMalformedDuration_FailsNamingTheDurationColumn()
    {
        _folder.Recording("a.mp3");
        _folder.Write("manifest.csv", "file,duration\na.mp3,about an hour\n");

        var calls = await _folder.FetchAllAsync();

        Assert.Equal("manifest.csv row 2: column 'duration': 'about an hour' is neither seconds nor HH:MM:SS", calls["a.mp3"].Failure);
    }

    [Fact]
    public async Task SecondRowForTheSameFile_FailsNamingTheFirst()
    {
        _folder.Recording("a.mp3");
        _folder.Write("manifest.csv", "file,title\na.mp3,First\na.mp3,Second\n");

        var calls = await _folder.FetchAllAsync();

        Assert.Equal("First", calls["a.mp3"].Call!.Title);
        Assert.Equal("manifest.csv row 3: file 'a.mp3' is already described by row 2", calls["manifest-row-3"].Failure);
    }

    [Fact]
    public async Task RowsWithoutFileOrPointingOutside_FailWithTheirReason()
    {
        _folder.Write("manifest.csv", "file,title\n,No file\n../etc/passwd.mp3,Escape\nnotes.pdf,Not a recording\n");
        _folder.Write("notes.pdf", "%PDF");

        var calls = await _folder.FetchAllAsync();

        Assert.Equal("manifest.csv row 2: column 'file' is empty", calls["manifest-row-2"].Failure);
        Assert.Equal("manifest.csv row 3: column 'file': '../etc/passwd.mp3' is not a path inside the upload folder", calls["manifest-row-3"].Failure);
        Assert.StartsWith("manifest.csv row 4: file 'notes.pdf' is not a recording", calls["notes.pdf"].Failure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FailedRow_ThrowsPermanentNotTransient()
    {
        _folder.Write("manifest.csv", "file\nmissing.mp3\n");
        var context = _folder.Context();
        var call = Assert.Single(await _folder.ListAsync(context: context));

        await Assert.ThrowsAsync<PermanentCallException>(() => context.FetchCallAsync(call, CancellationToken.None));
    }
}
