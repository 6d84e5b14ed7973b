using System.Net.Http.Headers;
using System.Text;

namespace CallImport.ImportRunner.Platforms.Auth;

/// <summary><c>Authorization: Basic base64(user:secret)</c> (Gong's access key and secret).</summary>
public sealed class BasicAuthenticator(string user, string secret) : IRequestAuthenticator
{
    private readonly string _encoded = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{secret}"));

    public ValueTask ApplyAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", _encoded);
        return ValueTask.CompletedTask;
    }

    public ValueTask<bool> RenewAfterRefusalAsync(HttpRequestMessage refused, CancellationToken cancellationToken) => ValueTask.FromResult(false);

    public override string ToString() => "basic credentials (redacted)";
}
