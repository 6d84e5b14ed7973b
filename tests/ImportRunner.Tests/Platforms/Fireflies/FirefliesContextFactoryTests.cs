using CallImport.ImportRunner.Platforms;
using CallImport.ImportRunner.Platforms.Fireflies;

namespace CallImport.ImportRunner.Tests.Platforms.Fireflies;

public sealed class FirefliesContextFactoryTests
{
    [Fact]
    public void Discover_RunnerAssembly_FindsFirefliesByName_WithMedia()
    {
        var factory = ImportContextCatalog.Discover().Get("fireflies");

        Assert.IsType<FirefliesContextFactory>(factory);
        Assert.Equal(["apiKey"], factory.RequiredCredentialKeys);
        Assert.True(factory.ProvidesMedia);
    }

    [Fact]
    public void Limits_BusinessPlansSixtyPerMinute_NoDailyCapUnlessTheImportJobSetsOne()
    {
        var limits = new FirefliesContextFactory().Limits;

        var group = Assert.Single(limits.Groups);
        Assert.Equal((60, TimeSpan.FromMinutes(1)), (group.PermitLimit, group.Window));
        Assert.Null(limits.RequestsPerDay);
        // Free and Pro: spec.rateLimit.requestsPerDay: 50 lowers it to Fireflies' daily cap.
        Assert.Equal(50, limits.LoweredTo(null, 50).RequestsPerDay);
    }

    [Fact]
    public void Create_CredentialsWithoutApiKey_ThrowsCredentialsRejectedNamingTheKey()
    {
        using var http = new HttpClient();
        var credentials = new PlatformCredentials(new Dictionary<string, string> { ["baseUrl"] = "http://127.0.0.1:1/" });

        var error = Assert.Throws<CredentialsRejectedException>(() => new FirefliesContextFactory().Create(credentials, http, ImportContextServices.Default));

        Assert.Contains("'apiKey'", error.Message, StringComparison.Ordinal);
    }
}
