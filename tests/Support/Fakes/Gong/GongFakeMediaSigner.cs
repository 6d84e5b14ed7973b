using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace CallImport.Testing.Fakes.Gong;

/// <summary>
/// Pre-signed media URLs in the style of S3: the signature covers the object, the signing time and the
/// lifetime; the storage path checks all three and nothing else (no Gong credentials there).
/// </summary>
internal sealed class GongFakeMediaSigner(TimeProvider time, TimeSpan lifetime)
{
    public const string StoragePath = "/storage/gong-media/";
    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);

    public string Sign(string origin, string callId, string file)
    {
        var signedAt = time.GetUtcNow().ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        var expires = ((long)lifetime.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        var objectPath = $"{StoragePath}{callId}/{file}";
        return $"{origin}{objectPath}?X-Amz-Date={signedAt}&X-Amz-Expires={expires}&X-Amz-Signature={Signature(objectPath, signedAt, expires)}";
    }

    public SignatureCheck Check(string objectPath, string? signedAt, string? expires, string? signature)
    {
        if (signedAt is null || expires is null || signature is null) return SignatureCheck.Missing;
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Signature(objectPath, signedAt, expires)), Encoding.ASCII.GetBytes(signature)))
            return SignatureCheck.Mismatch;
        var issued = DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(signedAt, CultureInfo.InvariantCulture));
        return time.GetUtcNow() >= issued + TimeSpan.FromSeconds(long.Parse(expires, CultureInfo.InvariantCulture))
            ? SignatureCheck.Expired
            : SignatureCheck.Valid;
    }

    private string Signature(string objectPath, string signedAt, string expires) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes($"{objectPath}\n{signedAt}\n{expires}")));
}

internal enum SignatureCheck { Valid, Missing, Mismatch, Expired }
