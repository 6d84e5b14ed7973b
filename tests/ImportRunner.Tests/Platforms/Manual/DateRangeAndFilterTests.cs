namespace CallImport.ImportRunner.Tests.Platforms.Manual;

public sealed class DateRangeAndFilterTests : IDisposable
{
    private static readonly DateTimeOffset January = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset February = new(2026, 2, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly UploadFolderFixture _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task DateRange_IncludesManifestStartsInHalfOpenRange_AndCallsWithoutStart()
    {
        foreach (var name in new[] { "dec.mp3", "jan-first.mp3", "jan.mp3", "feb-first.mp3", "undated.mp3", "unlisted.mp3", "baddate.mp3" })
            _folder.Recording(name);
        _folder.Write("manifest.csv", """
            file,start_time
            dec.mp3,2025-12-31T23:59:59Z
            jan-first.mp3,2026-01-01T00:00:00Z
            jan.mp3,2026-01-15T12:00:00+05:00
            feb-first.mp3,2026-02-01T00:00:00Z
            undated.mp3,
            baddate.mp3,31/01/2026
            """);

        var calls = await _folder.ListAsync(January, February);

        Assert.Equal(["jan-first.mp3", "jan.mp3", "undated.mp3", "baddate.mp3", "unlisted.mp3"], calls.Select(c => c.SourceCallId));
    }

    [Fact]
    public async Task DateRange_MissingFileRowOutsideTheRange_IsNotListed()
    {
        _folder.Write("manifest.csv", "file,start_time\nlost-in-march.mp3,2026-03-10T10:00:00Z\nlost-in-january.mp3,2026-01-10T10:00:00Z\n");

        var calls = await _folder.ListAsync(January, February);

        Assert.Equal(["lost-in-january.mp3"], calls.Select(c => c.SourceCallId));
    }

    [Fact]
    public async Task PathPrefix_ListsOnlyRecordingsAndRowsUnderThatFolder()
    {
        _folder.Recording("acme/east/a.mp3");
        _folder.Recording("acme/eastern/b.mp3");
        _folder.Recording("acme/west/c.mp3");
        _folder.Recording("d.mp3");
        _folder.Write("manifest.csv", "file,title\nacme/east/a.mp3,A\nacme/west/c.mp3,C\nacme/east/missing.mp3,M\n");

        var calls = await _folder.ListAsync(filters: new Dictionary<string, string> { ["pathPrefix"] = "/acme/east/" });

        Assert.Equal(["acme/east/a.mp3", "acme/east/missing.mp3"], calls.Select(c => c.SourceCallId));
    }

    [Fact]
    public async Task UnknownFilter_IsRefusedNamingItAndTheSupportedOnes()
    {
        _folder.Recording("a.mp3");

        var error = await Assert.ThrowsAsync<ArgumentException>(() =>
            _folder.ListAsync(filters: new Dictionary<string, string> { ["folder"] = "x", ["pathPrefix"] = "a" }));

        Assert.Contains("Unknown filter(s) for platform 'manual': folder.", error.Message, StringComparison.Ordinal);
        Assert.Contains("Supported: pathPrefix", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PathPrefixLeavingTheFolder_IsRefused()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() =>
            _folder.ListAsync(filters: new Dictionary<string, string> { ["pathPrefix"] = "../elsewhere" }));

        Assert.Contains("pathPrefix", error.Message, StringComparison.Ordinal);
    }
}
