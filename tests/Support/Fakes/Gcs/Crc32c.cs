namespace CallImport.Testing.Fakes.Gcs;

/// <summary>CRC-32C (Castagnoli), the checksum GCS reports as <c>crc32c</c>; System.IO.Hashing is not served here.</summary>
internal sealed class Crc32c
{
    private static readonly uint[] Table = BuildTable();
    private uint _state = 0xFFFFFFFFu;

    public void Append(ReadOnlySpan<byte> data)
    {
        var crc = _state;
        foreach (var b in data)
            crc = Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        _state = crc;
    }

    /// <summary>Big-endian bytes, as the JSON API and <c>x-goog-hash</c> encode them (base64).</summary>
    public byte[] GetHash()
    {
        var value = ~_state;
        return [(byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value];
    }

    private static uint[] BuildTable()
    {
        const uint polynomial = 0x82F63B78u; // Castagnoli, reflected
        var table = new uint[256];
        for (uint i = 0; i < 256; i++)
        {
            var entry = i;
            for (var bit = 0; bit < 8; bit++)
                entry = (entry & 1) != 0 ? (entry >> 1) ^ polynomial : entry >> 1;
            table[i] = entry;
        }
        return table;
    }
}
