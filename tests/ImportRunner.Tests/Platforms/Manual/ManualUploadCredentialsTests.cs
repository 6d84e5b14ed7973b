using CallImport.ImportRunner.Limits;
using CallImport.ImportRunner.Platforms;
using CallImport.ImportRunner.Platforms.Manual;

namespace CallImport.ImportRunner.Tests.Platforms.Manual;

public sealed class ManualUploadCredentialsTests : IDisposable
{
    private readonly UploadFolderFixture _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Factory_IsDiscoveredAsManualWithoutLimitsAndWithMedia()
    {
        var factory = ImportContextCatalog.Discover().Get("manual");

        Assert.IsType<ManualUploadContextFactory>(factory);
        Assert.Equal(PlatformLimits.Unlimited, factory.Limits);
        Assert.True(factory.ProvidesMedia);
        Assert.Equal(["location"], factory.RequiredCredentialKeys);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Location_AsPathOrFileUri_ReadsTheFolder(bool asUri)
    {
        _folder.Recording("a.mp3");
        var context = _folder.Context(asUri ? new Uri(_folder.Root).AbsoluteUri : _folder.Root);

        await context.ValidateCredentialsAsync(CancellationToken.None);
        var calls = await _folder.ListAsync(context: context);

        Assert.Equal(["a.mp3"], calls.Select(c => c.SourceCallId));
    }

    [Fact]
    public async Task Location_FolderThatDoesNotExist_IsRejectedWithoutQuotingIt()
    {
        var missing = Path.Combine(_folder.Root, "no-such-folder-7f3a");

        var error = await Assert.ThrowsAsync<CredentialsRejectedException>(() =>
            _folder.Context(missing).ValidateCredentialsAsync(CancellationToken.None));

        Assert.Contains("does not exist", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("no-such-folder-7f3a", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("relative/folder")]
    [InlineData("https://example.com/uploads")]
    public async Task Location_NeitherAbsolutePathNorSupportedUri_IsRejected(string location)
    {
        var error = await Assert.ThrowsAsync<CredentialsRejectedException>(() =>
            _folder.Context(location).ValidateCredentialsAsync(CancellationToken.None));

        Assert.Contains("absolute path, file:///absolute/path or gs://bucket/prefix", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(location, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Credentials_WithoutLocation_AreRejectedNamingTheKey()
    {
        var context = new ManualUploadContextFactory().Create(
            new PlatformCredentials(new Dictionary<string, string>()), new HttpClient(), ImportContextServices.Default);

        var error = await Assert.ThrowsAsync<CredentialsRejectedException>(() => context.ValidateCredentialsAsync(CancellationToken.None));

        Assert.Contains("'location'", error.Message, StringComparison.Ordinal);
    }
}
