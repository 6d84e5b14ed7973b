using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using CallImport.ImportJobs;

namespace CallImport.ImportRunner.Platforms;

/// <summary>Finds every <see cref="IImportContextFactory"/> in the runner by its platform name.</summary>
public sealed class ImportContextCatalog
{
    private readonly Dictionary<string, Func<IImportContextFactory>> _factories;

    public ImportContextCatalog(IEnumerable<IImportContextFactory> factories) =>
        _factories = factories.ToDictionary(f => f.Platform, f => (Func<IImportContextFactory>)(() => f), StringComparer.OrdinalIgnoreCase);

    private ImportContextCatalog(Dictionary<string, Func<IImportContextFactory>> factories) => _factories = factories;

    /// <summary>
    /// The runner's platforms, each factory made only when its platform is asked for: a run's start makes one,
    /// without scanning the assembly's types (that cost a start ~50 ms under load). A test keeps this list equal
    /// to what <see cref="Discover"/> finds: a new platform's factory goes here too.
    /// </summary>
    public static ImportContextCatalog Shipped { get; } = new(new Dictionary<string, Func<IImportContextFactory>>(StringComparer.OrdinalIgnoreCase)
    {
        [ImportPlatforms.Manual] = () => new Manual.ManualUploadContextFactory(),
        [ImportPlatforms.Grain] = () => new Grain.GrainContextFactory(),
        [ImportPlatforms.Gong] = () => new Gong.GongContextFactory(),
        [ImportPlatforms.Zoom] = () => new Zoom.ZoomContextFactory(),
        [ImportPlatforms.RingCentral] = () => new RingCentral.RingCentralContextFactory(),
        [ImportPlatforms.Dialpad] = () => new Dialpad.DialpadContextFactory(),
        [ImportPlatforms.Fathom] = () => new Fathom.FathomContextFactory(),
        [ImportPlatforms.Fireflies] = () => new Fireflies.FirefliesContextFactory(),
        [ImportPlatforms.HubSpot] = () => new HubSpot.HubSpotContextFactory(),
    });

    /// <summary>Every factory with a public parameterless constructor in this assembly.</summary>
    [RequiresUnreferencedCode("Scans the assembly's types, which native AOT does not keep: for the tests and the bench (JIT); the runner uses Shipped.")]
    public static ImportContextCatalog Discover() => new(
        typeof(ImportContextCatalog).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IImportContextFactory).IsAssignableFrom(t)
                        && t.GetConstructor(BindingFlags.Public | BindingFlags.Instance, Type.EmptyTypes) is not null)
            .Select(t => (IImportContextFactory)Activator.CreateInstance(t)!));

    public IEnumerable<string> Platforms => _factories.Keys.Order(StringComparer.Ordinal);

    public IImportContextFactory Get(string platform) =>
        _factories.TryGetValue(platform, out var factory)
            ? factory()
            : throw new UnknownPlatformException(platform, Platforms);
}

public sealed class UnknownPlatformException(string platform, IEnumerable<string> known)
    : Exception($"Unknown platform '{platform}'. Known platforms: {string.Join(", ", known)}.");
