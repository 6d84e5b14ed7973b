using System.Security.Cryptography;

namespace CallImport.Testing.Fakes.RingCentral;

/// <summary>
/// RingCentral's OAuth token rules as documented (guide/authentication/refresh-tokens): an access token
/// lives about an hour, a refresh token about 7 days and can be used ONCE; refreshing issues a new pair and
/// invalidates the previous access token at once. Thread-safe.
/// </summary>
internal sealed class RingCentralFakeTokens(RingCentralFakeOptions options)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, DateTimeOffset> _access = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (DateTimeOffset ExpiresAt, string AccessToken)> _refresh = new(StringComparer.Ordinal);
    private readonly HashSet<string> _usedRefresh = new(StringComparer.Ordinal);
    private TimeSpan _accessLifetime = options.AccessTokenLifetime;

    public int Issued { get; private set; }
    public int RefusedRefreshes { get; private set; }

    public TimeSpan AccessLifetime
    {
        get { lock (_lock) return _accessLifetime; }
        set { lock (_lock) _accessLifetime = value; }
    }

    public IssuedTokens Issue()
    {
        lock (_lock) return IssueLocked();
    }

    /// <summary>The new pair, or null when the refresh token is unknown, expired or already used.</summary>
    public IssuedTokens? Refresh(string refreshToken)
    {
        var now = options.Time.GetUtcNow();
        lock (_lock)
        {
            if (!_refresh.Remove(refreshToken, out var entry) || entry.ExpiresAt <= now)
            {
                RefusedRefreshes++;
                return null;
            }
            _usedRefresh.Add(refreshToken);
            _access.Remove(entry.AccessToken);
            return IssueLocked();
        }
    }

    public bool WasUsed(string refreshToken) { lock (_lock) return _usedRefresh.Contains(refreshToken); }

    public TokenState Check(string accessToken)
    {
        lock (_lock)
        {
            if (!_access.TryGetValue(accessToken, out var expiresAt)) return TokenState.Unknown;
            return expiresAt <= options.Time.GetUtcNow() ? TokenState.Expired : TokenState.Valid;
        }
    }

    /// <summary>Every access token issued so far expires now (a token running out mid-import).</summary>
    public void ExpireAccessTokens()
    {
        var now = options.Time.GetUtcNow();
        lock (_lock)
            foreach (var token in _access.Keys.ToList()) _access[token] = now;
    }

    /// <summary>Every token ever issued, for "never in any output" assertions.</summary>
    public IReadOnlyList<string> AllIssued() { lock (_lock) return [.. _access.Keys, .. _refresh.Keys, .. _usedRefresh]; }

    private IssuedTokens IssueLocked()
    {
        var now = options.Time.GetUtcNow();
        var access = "U0pDMDFQ" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        var refresh = "U0pDMDFSRl" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        _access[access] = now + _accessLifetime;
        _refresh[refresh] = (now + options.RefreshTokenLifetime, access);
        Issued++;
        return new IssuedTokens(access, (int)_accessLifetime.TotalSeconds, refresh, (int)options.RefreshTokenLifetime.TotalSeconds);
    }
}

internal enum TokenState { Valid, Expired, Unknown }

internal sealed record IssuedTokens(string AccessToken, int ExpiresIn, string RefreshToken, int RefreshTokenExpiresIn);
