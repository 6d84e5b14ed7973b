using CallImport.ImportRunner.Limits;
using CallImport.ImportRunner.Platforms;

namespace CallImport.Benchmarks.Framework;

/// <summary>
/// Each discovered platform's declared limits, read from its <see cref="IImportContextFactory"/> (so a new
/// platform appears in the projection without touching the bench). The one place that knows their shape.
/// </summary>
public static class DeclaredLimits
{
    /// <summary><paramref name="Limits"/>: the groups and classifier the runner's limiter uses; <paramref name="Groups"/> them, for people.</summary>
    public sealed record Platform(string Name, PlatformLimits Limits, bool ProvidesMedia, string Groups);

    public static IReadOnlyList<Platform> Discover()
    {
        var catalog = ImportContextCatalog.Discover();
        return catalog.Platforms.Select(catalog.Get)
            .Select(f => new Platform(f.Platform, f.Limits, f.ProvidesMedia,
                string.Join(", ", f.Limits.Groups.Select(g => $"{g.Name} {g.PermitLimit}/{g.Window.TotalSeconds:0.###} s"))
                + (f.Limits.RequestsPerDay is { } d ? $", {d:N0}/day" : "")))
            .ToList();
    }
}
