using System.Net;
using System.Net.Http.Headers;
using System.Text;
using CallImport.ImportRunner.Platforms.Auth;

namespace CallImport.ImportRunner.Platforms.Zoom;

/// <summary>
/// Zoom's server-to-server OAuth: <c>POST {oauth}/token?grant_type=account_credentials&amp;account_id=…</c> with
/// Basic client_id:client_secret gives a bearer token for one hour and no refresh token: when it runs out,
/// the source is simply asked again. Refusals name the keys to check, never their values or the token.
/// </summary>
internal sealed class ZoomServerToServerTokenSource(Uri tokenUrl, string accountId, string clientId, string clientSecret, HttpClient http, TimeProvider time)
    : ITokenSource
{
    private const string What = "Zoom server-to-server token (POST oauth/token)";

    /// <summary>No refresh token: the authenticator asks again.</summary>
    public Task<AccessToken?> RefreshAsync(AccessToken current, CancellationToken cancellationToken) => Task.FromResult<AccessToken?>(null);

    public async Task<AccessToken> RequestAsync(CancellationToken cancellationToken)
    {
        var url = new Uri(tokenUrl, $"?grant_type=account_credentials&account_id={Uri.EscapeDataString(accountId)}");
        using var request = TokenRequests.Prepare(new HttpRequestMessage(HttpMethod.Post, url));
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{clientId}:{clientSecret}")));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        var requestedAt = time.GetUtcNow();
        using var response = await VendorResponses.SendAsync(http, request, What, HttpCompletionOption.ResponseContentRead, cancellationToken);
        if (response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            var error = await OAuthTokenResponse.ErrorCodeAsync(response, cancellationToken);
            throw new CredentialsRejectedException(
                $"{What}: Zoom refused the credentials (HTTP {(int)response.StatusCode}{(error is null ? "" : ", " + error)}). " +
                "Check accountId, clientId and clientSecret of the Server-to-Server OAuth app, and that the app is activated.");
        }
        if (response.StatusCode == HttpStatusCode.NotFound)
            throw new CredentialsRejectedException(
                $"{What}: HTTP 404. The OAuth address is wrong: check the credentials' '{PlatformCredentials.BaseUrlKey}' (or remove it to use zoom.us).");
        var body = await VendorResponses.ReadJsonAsync(response, What, ZoomJson.Default.OAuthTokenResponse, cancellationToken);
        if (string.IsNullOrWhiteSpace(body.AccessToken))
            throw new TransientCallException($"{What}: the answer held no access_token.");
        // Zoom says 3599 s; a missing value is taken as the documented hour.
        return new AccessToken(body.AccessToken, requestedAt + TimeSpan.FromSeconds(body.ExpiresIn is > 0 and var s ? s : 3600));
    }
}
