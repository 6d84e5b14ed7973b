using System.Net.Http.Headers;

namespace CallImport.ImportRunner.Platforms.Auth;

/// <summary><c>Authorization: Bearer {token}</c> with a token that does not expire (an API key: Grain, Fathom, HubSpot private apps).</summary>
public sealed class StaticBearerAuthenticator(string token) : IRequestAuthenticator
{
    public ValueTask ApplyAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return ValueTask.CompletedTask;
    }

    public ValueTask<bool> RenewAfterRefusalAsync(HttpRequestMessage refused, CancellationToken cancellationToken) => ValueTask.FromResult(false);

    public override string ToString() => "bearer token (redacted)";
}
