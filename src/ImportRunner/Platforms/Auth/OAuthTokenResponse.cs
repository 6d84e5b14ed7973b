using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace CallImport.ImportRunner.Platforms.Auth;

/// <summary>
/// The token endpoint's answer as OAuth 2.0 defines it (RFC 6749 §5.1), which RingCentral, Zoom and HubSpot all send;
/// <see cref="ErrorCodeAsync"/> reads the §5.2 error answer.
/// </summary>
public sealed record OAuthTokenResponse(
    [property: JsonPropertyName("access_token")] string? AccessToken,
    [property: JsonPropertyName("token_type")] string? TokenType,
    [property: JsonPropertyName("expires_in")] long? ExpiresIn,
    [property: JsonPropertyName("refresh_token")] string? RefreshToken)
{
    /// <summary>
    /// The <c>error</c> code (invalid_grant, invalid_client, …) when it is one: never the description, which can echo
    /// what was sent. Null when the body is not an OAuth error.
    /// </summary>
    public static async Task<string?> ErrorCodeAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var error = await response.Content.ReadFromJsonAsync(AuthJson.Default.OAuthError, cancellationToken);
            return error?.Error is { Length: > 0 and <= 40 } code && code.All(c => char.IsAsciiLetterOrDigit(c) || c == '_') ? code : null;
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or InvalidOperationException)
        {
            return null;
        }
    }

    internal sealed record OAuthError([property: JsonPropertyName("error")] string? Error);
}
