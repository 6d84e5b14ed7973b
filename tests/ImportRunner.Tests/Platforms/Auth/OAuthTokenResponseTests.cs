using System.Net;
using System.Text;
using CallImport.ImportRunner.Platforms.Auth;

namespace CallImport.ImportRunner.Tests.Platforms.Auth;

public sealed class OAuthTokenResponseTests
{
    [Theory]
    [InlineData("""{"error":"invalid_grant","error_description":"Token abc123 revoked"}""", "invalid_grant")]
    [InlineData("""{"error":"invalid_client","reason":"Invalid client_id or client_secret"}""", "invalid_client")]
    [InlineData("""{"error":"secret-abc123 is wrong"}""", null)] // not a code: could echo what was sent
    [InlineData("""{"message":"Bad request"}""", null)]
    [InlineData("<html>gateway</html>", null)]
    [InlineData("", null)]
    public async Task ErrorCode_IsTheOAuthCodeOnly_NeverTheDescription(string body, string? expected)
    {
        using var response = new HttpResponseMessage(HttpStatusCode.BadRequest) { Content = new StringContent(body, Encoding.UTF8, "application/json") };

        Assert.Equal(expected, await OAuthTokenResponse.ErrorCodeAsync(response, CancellationToken.None));
    }
}
