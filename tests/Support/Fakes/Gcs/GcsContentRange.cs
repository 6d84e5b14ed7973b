using System.Globalization;

namespace CallImport.Testing.Fakes.Gcs;

/// <summary>
/// A chunk's <c>Content-Range</c>: <c>bytes a-b/total</c>, <c>bytes a-b/*</c> (length not known yet while streaming),
/// <c>bytes */total</c> (final empty chunk) or <c>bytes */*</c> (status query after an error).
/// </summary>
internal sealed record GcsContentRange(long? First, long? Last, long? Total)
{
    public static GcsContentRange? Parse(string? header)
    {
        if (header is null || !header.StartsWith("bytes ", StringComparison.OrdinalIgnoreCase))
            return null;
        var spec = header["bytes ".Length..].Trim();
        var slash = spec.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0)
            return null;
        var range = spec[..slash];
        var totalText = spec[(slash + 1)..];
        long? total = totalText == "*" ? null : long.Parse(totalText, CultureInfo.InvariantCulture);
        if (range == "*")
            return new GcsContentRange(null, null, total);
        var dash = range.IndexOf('-', StringComparison.Ordinal);
        if (dash < 0)
            return null;
        return new GcsContentRange(
            long.Parse(range[..dash], CultureInfo.InvariantCulture),
            long.Parse(range[(dash + 1)..], CultureInfo.InvariantCulture),
            total);
    }
}
