using CallImport.ImportRunner.Platforms.Dialpad;
using CallImport.Testing.Fakes.Dialpad;

namespace CallImport.ImportRunner.Tests.Platforms.Dialpad;

/// <summary>A Dialpad context on the fake (see <see cref="PlatformTestContext"/>), with another API key when a test gives one.</summary>
internal sealed class DialpadTestContext(DialpadFake fake, string? apiKey = null) : PlatformTestContext(new DialpadContextFactory(),
    new Dictionary<string, string> { ["apiKey"] = apiKey ?? fake.ApiKey, ["baseUrl"] = fake.BaseUrl });
