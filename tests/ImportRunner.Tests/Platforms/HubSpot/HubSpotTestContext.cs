using CallImport.ImportRunner.Limits;
using CallImport.ImportRunner.Platforms.HubSpot;
using CallImport.Testing.Fakes.HubSpot;

namespace CallImport.ImportRunner.Tests.Platforms.HubSpot;

/// <summary>A HubSpot context on the fake (see <see cref="PlatformTestContext"/>): OAuth credentials unless a test gives others.</summary>
internal sealed class HubSpotTestContext(HubSpotFake fake, IReadOnlyDictionary<string, string>? credentials = null, RequestRetrySettings? retry = null)
    : PlatformTestContext(new HubSpotContextFactory(), credentials ?? fake.OAuthCredentials, retry);
