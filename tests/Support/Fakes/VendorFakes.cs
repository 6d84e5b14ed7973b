using CallImport.Testing.Fakes.Dialpad;
using CallImport.Testing.Fakes.Fathom;
using CallImport.Testing.Fakes.Fireflies;
using CallImport.Testing.Fakes.Gong;
using CallImport.Testing.Fakes.Grain;
using CallImport.Testing.Fakes.HubSpot;
using CallImport.Testing.Fakes.Manual;
using CallImport.Testing.Fakes.RingCentral;
using CallImport.Testing.Fakes.Zoom;

namespace CallImport.Testing.Fakes;

/// <summary>
/// The catalog of vendor fakes by platform name (as in ImportJob's <c>spec.platform</c>). Adding a platform:
/// one line here starting its fake with a <see cref="VendorFakeScenario"/>.
/// </summary>
public static class VendorFakes
{
    private static readonly Dictionary<string, Func<VendorFakeScenario, Task<IVendorFake>>> Starters = new(StringComparer.Ordinal)
    {
        ["dialpad"] = async scenario => await DialpadVendorFake.StartAsync(scenario),
        ["fathom"] = async scenario => await FathomVendorFake.StartAsync(scenario),
        ["fireflies"] = async scenario => await FirefliesVendorFake.StartAsync(scenario),
        ["grain"] = async scenario => await GrainVendorFake.StartAsync(scenario),
        ["gong"] = async scenario => await GongVendorFake.StartAsync(scenario),
        ["hubspot"] = async scenario => await HubSpotVendorFake.StartAsync(scenario),
        ["manual"] = scenario => Task.FromResult<IVendorFake>(ManualUploadFake.Create(scenario)),
        ["ringcentral"] = RingCentralVendorFake.StartAsync,
        ["zoom"] = async scenario => await ZoomVendorFake.StartAsync(scenario),
    };

    public static IReadOnlyCollection<string> Platforms => Starters.Keys;

    public static bool Has(string platform) => Starters.ContainsKey(platform);

    public static Task<IVendorFake> StartAsync(string platform, VendorFakeScenario scenario) =>
        Starters.TryGetValue(platform, out var start)
            ? start(scenario)
            : throw new ArgumentException($"No vendor fake for '{platform}'. Known: {string.Join(", ", Starters.Keys)}.", nameof(platform));
}
