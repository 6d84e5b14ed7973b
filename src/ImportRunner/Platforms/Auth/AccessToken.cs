namespace CallImport.ImportRunner.Platforms.Auth;

/// <summary>
/// A token a vendor issued. <see cref="RefreshToken"/> is kept in memory only: RingCentral's refresh tokens are
/// single-use and rotate with every refresh. <see cref="ToString"/> never shows either token.
/// </summary>
public sealed record AccessToken(string Value, DateTimeOffset ExpiresAt, string? RefreshToken = null, string Scheme = "Bearer")
{
    public override string ToString() => $"{Scheme} token (redacted) expiring {ExpiresAt:u}";
}
