using CallImport.ImportRunner.Limits;
using CallImport.ImportRunner.Platforms.RingCentral;
using CallImport.Testing.Fakes.RingCentral;

namespace CallImport.ImportRunner.Tests.Platforms.RingCentral;

/// <summary>
/// A RingCentral context on the fake (see <see cref="PlatformTestContext"/>): the JWT authenticator and the vendor's
/// signals, no client-side limit unless given, so the fake's own usage plan, when on, is what throttles.
/// </summary>
internal sealed class RingCentralTestContext(RingCentralFake fake, IReadOnlyDictionary<string, string>? credentials = null, PlatformLimits? limits = null, int maxRetries = 0)
    : PlatformTestContext(new RingCentralContextFactory(), credentials ?? fake.Credentials, NoRetries(maxRetries: maxRetries), limits: limits);
