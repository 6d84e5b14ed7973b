using System.Net;
using System.Net.Http.Headers;
using CallImport.ImportRunner.Platforms.Auth;

namespace CallImport.ImportRunner.Platforms.HubSpot;

/// <summary>
/// OAuth tokens for an import that may outlast one (HubSpot's access tokens live 30 minutes): the Secret's
/// <c>accessToken</c> is used first, as it is; when HubSpot refuses it (expired) or it nears its end, a new one comes
/// from <c>POST /oauth/v1/token</c> with the refresh-token grant. HubSpot's refresh tokens do not rotate, so the
/// Secret's refresh token serves every renewal.
/// </summary>
internal sealed class HubSpotTokenSource(Uri baseUrl, string accessToken, string refreshToken, string clientId, string clientSecret, HttpClient http, TimeProvider time)
    : ITokenSource
{
    private int _handedOutGiven;

    public async Task<AccessToken> RequestAsync(CancellationToken cancellationToken)
    {
        // Its lifetime is unknown: it is used until refused, then renewed.
        if (Interlocked.Exchange(ref _handedOutGiven, 1) == 0) return new AccessToken(accessToken, DateTimeOffset.MaxValue, refreshToken);
        return await RefreshAsync(cancellationToken);
    }

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
        var token = await VendorResponses.ReadJsonAsync<HubSpotTokenResponse>(response, what, HubSpotApi.Json, cancellationToken);
        if (string.IsNullOrEmpty(token.AccessToken) || token.ExpiresIn is not > 0)
            throw new TransientCallException($"{what}: the answer has no access token or lifetime.");
        return new AccessToken(token.AccessToken, time.GetUtcNow().AddSeconds(token.ExpiresIn.Value), refreshToken);
    }
}
