using CallImport.ImportRunner.Platforms.Fathom;
using CallImport.Testing.Fakes.Fathom;

namespace CallImport.ImportRunner.Tests.Platforms.Fathom;

/// <summary>A Fathom context on the fake (see <see cref="PlatformTestContext"/>), with another API key when a test gives one.</summary>
internal sealed class FathomTestContext(FathomFake fake, string? apiKey = null) : PlatformTestContext(new FathomContextFactory(),
    new Dictionary<string, string> { ["apiKey"] = apiKey ?? fake.ApiKey, ["baseUrl"] = fake.BaseUrl });
