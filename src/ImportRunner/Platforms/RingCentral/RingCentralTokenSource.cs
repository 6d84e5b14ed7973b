using System.Net;
using System.Net.Http.Headers;
using System.Text;
using CallImport.ImportRunner.Platforms.Auth;

namespace CallImport.ImportRunner.Platforms.RingCentral;

/// <summary>
/// RingCentral's OAuth for server apps (guide/authentication/jwt-flow): <c>POST /restapi/oauth/token</c> with
/// Basic clientId:clientSecret and the JWT credential as <c>assertion</c> of the JWT-bearer grant; then the
/// refresh-token grant, whose refresh token is single-use and replaced by every refresh. A refused refresh
/// (used, expired or revoked: <c>invalid_grant</c>) is answered by asking again with the JWT, which never
/// expires unless its owner set it to. Requests count in the Auth group (5 a minute).
/// </summary>
internal sealed class RingCentralTokenSource(Uri platform, string clientId, string clientSecret, string jwt, HttpClient http, TimeProvider time) : ITokenSource
{
    private readonly string _basic = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{clientId}:{clientSecret}"));

    public async Task<AccessToken> RequestAsync(CancellationToken cancellationToken) =>
        await GrantAsync("JWT grant", [new("grant_type", RingCentralApi.JwtGrantType), new("assertion", jwt)], refreshing: false, cancellationToken)
        ?? throw new CredentialsRejectedException("RingCentral refused the JWT grant. Check the Secret's clientId, clientSecret and jwt (the JWT must be issued for this app).");

    public Task<AccessToken?> RefreshAsync(AccessToken current, CancellationToken cancellationToken) =>
        current.RefreshToken is { } refreshToken
            ? GrantAsync("token refresh", [new("grant_type", "refresh_token"), new("refresh_token", refreshToken)], refreshing: true, cancellationToken)
            : Task.FromResult<AccessToken?>(null);

    /// <summary>The token, or null when the grant was refused as <c>invalid_grant</c> (for a refresh: ask again).</summary>
    private async Task<AccessToken?> GrantAsync(string grant, KeyValuePair<string, string>[] form, bool refreshing, CancellationToken cancellationToken)
    {
        var what = $"RingCentral {grant} (POST {RingCentralApi.TokenPath})";
        using var request = TokenRequests.Prepare(new HttpRequestMessage(HttpMethod.Post, new Uri(platform, RingCentralApi.TokenPath))
        {
            Content = new FormUrlEncodedContent(form),
        });
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", _basic);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using var response = await VendorResponses.SendAsync(http, request, what, HttpCompletionOption.ResponseContentRead, cancellationToken);
        if (response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            var error = await OAuthTokenResponse.ErrorCodeAsync(response, cancellationToken);
            if (refreshing && error is "invalid_grant") return null;
            throw new CredentialsRejectedException(
                $"{what}: RingCentral refused the credentials (HTTP {(int)response.StatusCode}{(error is null ? "" : " " + error)}). Check the Secret's clientId, clientSecret and jwt.");
        }
        if (response.StatusCode == HttpStatusCode.NotFound)
            throw new CredentialsRejectedException(
                $"{what}: HTTP 404. The API address is wrong: check the credentials' '{PlatformCredentials.BaseUrlKey}' (or remove it to use {RingCentralApi.DefaultPlatformUrl}).");
        var token = await VendorResponses.ReadJsonAsync(response, what, RingCentralJson.Default.OAuthTokenResponse, cancellationToken);
        if (string.IsNullOrEmpty(token.AccessToken) || token.ExpiresIn is not > 0)
            throw new TransientCallException($"{what}: the answer has no access token or lifetime.");
        return new AccessToken(token.AccessToken, time.GetUtcNow().AddSeconds(token.ExpiresIn.Value), string.IsNullOrEmpty(token.RefreshToken) ? null : token.RefreshToken);
    }
}
