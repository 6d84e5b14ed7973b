using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace CallImport.Testing.Fakes.Gong;

/// <summary>
/// An opaque cursor: the next offset, bound to the request's filter. Gong wants the same filter sent with
/// the cursor; a cursor sent with another filter (or another endpoint) is refused, as is a made-up one.
/// </summary>
internal static class GongFakeCursor
{
    public static string Encode(string endpoint, string filterKey, int offset) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes($"{offset.ToString(CultureInfo.InvariantCulture)}:{Digest(endpoint, filterKey)}"))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>The offset, or null when the cursor is not one of ours for this endpoint and filter.</summary>
    public static int? Decode(string cursor, string endpoint, string filterKey)
    {
        try
        {
            var padded = cursor.Replace('-', '+').Replace('_', '/');
            padded += new string('=', (4 - padded.Length % 4) % 4);
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(padded));
            var parts = text.Split(':');
            if (parts.Length != 2 || parts[1] != Digest(endpoint, filterKey)) return null;
            return int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var offset) ? offset : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static string Digest(string endpoint, string filterKey) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(endpoint + "\n" + filterKey)))[..12];
}
