using CallImport.ImportRunner.Limits;
using CallImport.ImportRunner.Platforms.Fireflies;
using CallImport.Testing.Fakes.Fireflies;

namespace CallImport.ImportRunner.Tests.Platforms.Fireflies;

/// <summary>A Fireflies context on the fake (see <see cref="PlatformTestContext"/>) with its page size, and another key, retries or clock when a test gives them.</summary>
internal sealed class FirefliesTestContext(FirefliesFake fake, string? apiKey = null, int pageSize = 50, RequestRetrySettings? retry = null, TimeProvider? time = null)
    : PlatformTestContext(new FirefliesContextFactory { PageSize = pageSize },
        new Dictionary<string, string> { ["apiKey"] = apiKey ?? fake.ApiKey, ["baseUrl"] = fake.BaseUrl }, retry, time);
