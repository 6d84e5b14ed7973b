using System.Net;
using System.Net.Http.Headers;
using CallImport.ImportRunner.Platforms.Auth;

namespace CallImport.ImportRunner.Platforms.HubSpot;

/// <summary>
/// OAuth tokens for an import that may outlast one (HubSpot's access tokens live 30 minutes): every token, the first
/// included, comes from <c>POST /oauth/v1/token</c> with the refresh-token grant, so its lifetime is known and it is
/// renewed before it ends. The Secret's <c>accessToken</c> is not used then: a token written into a Secret is
/// usually expired by the time a run starts. HubSpot's refresh tokens do not rotate: the Secret's serves every renewal.
/// </summary>
internal sealed class HubSpotTokenSource(Uri baseUrl, string refreshToken, string clientId, string clientSecret, HttpClient http, TimeProvider time)
    : ITokenSource
{
    public Task<AccessToken> RequestAsync(CancellationToken cancellationToken) => RefreshAsync(cancellationToken);

    public async Task<AccessToken?> RefreshAsync(AccessToken current, CancellationToken cancellationToken) => await RefreshAsync(cancellationToken);

    private async Task<AccessToken> RefreshAsync(CancellationToken cancellationToken)
    {
        var what = $"HubSpot token refresh (POST /{HubSpotApi.TokenPath})";
        using var request = TokenRequests.Prepare(new HttpRequestMessage(HttpMethod.Post, new Uri(baseUrl, HubSpotApi.TokenPath))
        {
            Content = new FormUrlEncodedContent([
                new("grant_type", "refresh_token"), new("client_id", clientId), new("client_secret", clientSecret), new("refresh_token", refreshToken)]),
        });
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using var response = await VendorResponses.SendAsync(http, request, what, HttpCompletionOption.ResponseContentRead, cancellationToken);
        if (response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            throw new CredentialsRejectedException(
                $"{what}: HubSpot refused the refresh (HTTP {(int)response.StatusCode}). Check the Secret's refreshToken, clientId and clientSecret (the app must still be installed).");
        var token = await VendorResponses.ReadJsonAsync(response, what, HubSpotJson.Default.OAuthTokenResponse, cancellationToken);
        if (string.IsNullOrEmpty(token.AccessToken) || token.ExpiresIn is not > 0)
            throw new TransientCallException($"{what}: the answer has no access token or lifetime.");
        return new AccessToken(token.AccessToken, time.GetUtcNow().AddSeconds(token.ExpiresIn.Value), refreshToken);
    }
}
