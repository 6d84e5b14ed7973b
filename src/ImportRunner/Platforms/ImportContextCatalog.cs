using System.Reflection;

namespace CallImport.ImportRunner.Platforms;

/// <summary>Finds every <see cref="IImportContextFactory"/> in the runner by its platform name.</summary>
public sealed class ImportContextCatalog
{
    private readonly Dictionary<string, IImportContextFactory> _factories;

    public ImportContextCatalog(IEnumerable<IImportContextFactory> factories) =>
        _factories = factories.ToDictionary(f => f.Platform, StringComparer.OrdinalIgnoreCase);

    /// <summary>Every factory with a public parameterless constructor in this assembly.</summary>
    public static ImportContextCatalog Discover() => new(
        typeof(ImportContextCatalog).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IImportContextFactory).IsAssignableFrom(t)
                        && t.GetConstructor(BindingFlags.Public | BindingFlags.Instance, Type.EmptyTypes) is not null)
            .Select(t => (IImportContextFactory)Activator.CreateInstance(t)!));

    public IEnumerable<string> Platforms => _factories.Keys.Order(StringComparer.Ordinal);

    public IImportContextFactory Get(string platform) =>
        _factories.TryGetValue(platform, out var factory)
            ? factory
            : throw new UnknownPlatformException(platform, Platforms);
}

public sealed class UnknownPlatformException(string platform, IEnumerable<string> known)
    : Exception($"Unknown platform '{platform}'. Known platforms: {string.Join(", ", known)}.");
