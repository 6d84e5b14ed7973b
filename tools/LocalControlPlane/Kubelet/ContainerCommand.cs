using k8s.Models;

namespace CallImport.LocalControlPlane.Kubelet;

/// <summary>
/// The argv a container runs: a mapped image's local command prefix plus <c>args</c>, or else
/// <c>command + args</c> with <c>command[0]</c> found on PATH; <c>$(VAR)</c> expanded in both.
/// </summary>
internal static class ContainerCommand
{
    public static IReadOnlyList<string> Resolve(V1Container container, KubeletOptions options, IReadOnlyDictionary<string, string> env)
    {
        var args = (container.Args ?? []).Select(a => ContainerEnvironment.Expand(a, env));
        if (ImagePrefix(container.Image, options) is { } prefix)
        {
            return [.. prefix, .. args];
        }

        if (container.Command is not { Count: > 0 } command)
        {
            throw new ContainerConfigException("ErrImagePull",
                $"image \"{container.Image}\" is not mapped to a local command (KubeletOptions.ImageCommands) and the container has no command");
        }

        return [.. command.Select(c => ContainerEnvironment.Expand(c, env)), .. args];
    }

    /// <summary>Finds an executable on the given PATH, as exec would; null when there is none.</summary>
    public static string? FindExecutable(string name, string? path)
    {
        if (name.Contains('/', StringComparison.Ordinal))
        {
            return File.Exists(name) ? name : null;
        }

        return (path ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);
    }

    private static IReadOnlyList<string>? ImagePrefix(string? image, KubeletOptions options)
    {
        if (image is null)
        {
            return null;
        }

        if (options.ImageCommands.TryGetValue(image, out var exact))
        {
            return exact;
        }

        var withoutTag = WithoutTag(image);
        return options.ImageCommands.TryGetValue(withoutTag, out var any) ? any : null;
    }

    private static string WithoutTag(string image)
    {
        var digest = image.IndexOf('@', StringComparison.Ordinal);
        if (digest >= 0)
        {
            return image[..digest];
        }

        var colon = image.LastIndexOf(':');
        return colon > image.LastIndexOf('/') ? image[..colon] : image;
    }
}
