using System.Security.Cryptography;

namespace CallImport.Testing.Fakes.Zoom;

public enum ZoomFakeTokenState { Valid, Expired, Unknown }

/// <summary>
/// Server-to-server access tokens: opaque, one hour, no refresh token. A new token does not revoke the
/// earlier ones (Zoom lets several live side by side). Listing page tokens live here too, 15 minutes each.
/// </summary>
internal sealed class ZoomFakeTokens(TimeProvider time)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, DateTimeOffset> _access = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (ZoomFakeListing Listing, int Offset, DateTimeOffset ExpiresAt)> _pages = new(StringComparer.Ordinal);

    public string Issue(TimeSpan lifetime)
    {
        var token = "eyJ" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(48)).Replace('+', '-').Replace('/', '_').TrimEnd('=');
        lock (_lock) _access[token] = time.GetUtcNow() + lifetime;
        return token;
    }

    /// <summary>Every access token issued so far (tests check none of them reaches an output).</summary>
    public IReadOnlyList<string> Issued { get { lock (_lock) return [.. _access.Keys]; } }

    public ZoomFakeTokenState Check(string? token)
    {
        if (token is null) return ZoomFakeTokenState.Unknown;
        lock (_lock)
            return !_access.TryGetValue(token, out var expiresAt) ? ZoomFakeTokenState.Unknown
                : time.GetUtcNow() < expiresAt ? ZoomFakeTokenState.Valid : ZoomFakeTokenState.Expired;
    }

    /// <summary>Every token issued so far expires now (as if an hour had passed).</summary>
    public void ExpireAll()
    {
        var now = time.GetUtcNow();
        lock (_lock)
            foreach (var token in _access.Keys.ToList()) _access[token] = now;
    }

    public string IssuePage(ZoomFakeListing listing, int offset, TimeSpan lifetime)
    {
        var token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).Replace('+', 'A').Replace('/', 'B').TrimEnd('=');
        lock (_lock) _pages[token] = (listing, offset, time.GetUtcNow() + lifetime);
        return token;
    }

    /// <summary>The listing and offset a page token continues, or null when unknown or expired.</summary>
    public (ZoomFakeListing Listing, int Offset)? Page(string token)
    {
        lock (_lock)
            return _pages.TryGetValue(token, out var page) && time.GetUtcNow() < page.ExpiresAt ? (page.Listing, page.Offset) : null;
    }
}

/// <summary>What a listing request asked for, after Zoom's narrowing. <paramref name="HostId"/> null: the whole account.</summary>
internal sealed record ZoomFakeListing(string? HostId, DateOnly From, DateOnly To, int PageSize);
