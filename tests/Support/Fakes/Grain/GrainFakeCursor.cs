using System.Globalization;
using System.Text;

namespace CallImport.Testing.Fakes.Grain;

/// <summary>The fake's opaque body cursor: where the next page starts and how many empty pages were served there.</summary>
internal sealed record GrainFakeCursor(int Offset, int EmptyPagesServed)
{
    public string Encode() =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"grain-fake:{Offset}:{EmptyPagesServed}")));

    public static GrainFakeCursor? Decode(string value)
    {
        try
        {
            var parts = Encoding.UTF8.GetString(Convert.FromBase64String(value)).Split(':');
            return parts is ["grain-fake", var offset, var empties]
                   && int.TryParse(offset, CultureInfo.InvariantCulture, out var o) && o >= 0
                   && int.TryParse(empties, CultureInfo.InvariantCulture, out var e) && e >= 0
                ? new GrainFakeCursor(o, e)
                : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
