namespace CallImport.ImportRunner.Platforms.Auth;

/// <summary>The key in a vendor's own header (e.g. <c>X-Api-Key</c>).</summary>
public sealed class ApiKeyHeaderAuthenticator(string header, string key) : IRequestAuthenticator
{
    public ValueTask ApplyAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.Remove(header);
        request.Headers.TryAddWithoutValidation(header, key);
        return ValueTask.CompletedTask;
    }

    public ValueTask<bool> RenewAfterRefusalAsync(HttpRequestMessage refused, CancellationToken cancellationToken) => ValueTask.FromResult(false);

    public override string ToString() => $"{header} key (redacted)";
}
