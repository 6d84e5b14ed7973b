namespace CallImport.ImportRunner.Platforms.Auth;

/// <summary>
/// Adds a vendor's auth to each request the HTTP pipeline sends (after the rate wait, before every attempt).
/// A context gets its authenticator from its factory; tokens never reach logs, exceptions or the store.
/// </summary>
public interface IRequestAuthenticator
{
    ValueTask ApplyAsync(HttpRequestMessage request, CancellationToken cancellationToken);

    /// <summary>
    /// After a 401 for <paramref name="refused"/>: when the token it carried may have expired, gets a new one
    /// and returns true (the pipeline then retries the request once, and the refusal never counts as
    /// "credentials refused"); false when renewing cannot help (a static key).
    /// </summary>
    ValueTask<bool> RenewAfterRefusalAsync(HttpRequestMessage refused, CancellationToken cancellationToken);
}
