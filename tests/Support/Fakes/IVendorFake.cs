namespace CallImport.Testing.Fakes;

/// <summary>A vendor's limit as the fake enforces it (when <see cref="VendorFakeScenario.EnforceLimits"/>).</summary>
public sealed record FakeLimit(string Group, int PermitLimit, TimeSpan Window);

/// <summary>Which scenario knobs a fake honours (the conformance suite skips the cases of the others, saying why).</summary>
[Flags]
public enum FakeCapabilities
{
    None = 0,
    Media = 1,
    Transcripts = 2,
    ExpiringTokens = 4,
    ExpiringMediaUrls = 8,
    Limits = 16,
    ServerErrors = 32,
    Stalls = 64,
    MalformedCalls = 128,
    CallsAtBounds = 256,
    /// <summary>A platform without HTTP or credentials to refuse (manual uploads).</summary>
    RefusableCredentials = 512,
}

/// <summary>
/// A running vendor fake, the same shape for every platform: the credentials that work (with <c>baseUrl</c>)
/// and some that do not, the truth about its calls, and what it saw. Started by <see cref="VendorFakes.StartAsync"/>.
/// </summary>
public interface IVendorFake : IAsyncDisposable
{
    string Platform { get; }
    FakeCapabilities Capabilities { get; }
    /// <summary>The Secret's keys for this fake (including <c>baseUrl</c>).</summary>
    IReadOnlyDictionary<string, string> ValidCredentials { get; }
    /// <summary>Keys of the same shape the fake refuses.</summary>
    IReadOnlyDictionary<string, string> RefusedCredentials { get; }
    /// <summary>Every call the fake holds, bounds included.</summary>
    IReadOnlyList<FakeCallTruth> Calls { get; }
    FakeTrafficLog Traffic { get; }
    /// <summary>The limits the fake enforces when asked to (empty otherwise).</summary>
    IReadOnlyList<FakeLimit> Limits { get; }

    /// <summary>Why the fake does not honour <paramref name="knob"/> (the vendor has no such thing, or the fake lacks it): the conformance suite's skip reason.</summary>
    string? WhyNot(FakeCapabilities knob) => null;
}
