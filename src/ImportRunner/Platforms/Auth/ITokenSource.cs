namespace CallImport.ImportRunner.Platforms.Auth;

/// <summary>
/// How a vendor hands out tokens (client-credentials, JWT-bearer, server-to-server): the context's own
/// small class, used by <see cref="OAuthTokenAuthenticator"/>. Its requests go through the platform's
/// limited HTTP client; tag them with <see cref="TokenRequests.Prepare"/> so they count in the auth group and
/// carry no bearer token. Failures: <see cref="CredentialsRejectedException"/> when the vendor refuses the
/// grant (never with the secret in the message), <see cref="TransientCallException"/> otherwise.
/// </summary>
public interface ITokenSource
{
    /// <summary>A new token from the long-lived credentials ("ask again": Zoom server-to-server has no refresh token).</summary>
    Task<AccessToken> RequestAsync(CancellationToken cancellationToken);

    /// <summary>
    /// A new token from <paramref name="current"/>'s refresh token. Return null when the vendor refused the refresh
    /// token (used or expired): the authenticator then asks again with <see cref="RequestAsync"/>.
    /// </summary>
    Task<AccessToken?> RefreshAsync(AccessToken current, CancellationToken cancellationToken);
}
