namespace CallImport.ImportRunner.Platforms.Auth;

/// <summary>For platforms whose context needs no HTTP auth (manual uploads).</summary>
public sealed class NoAuthenticator : IRequestAuthenticator
{
    public static NoAuthenticator Instance { get; } = new();

    public ValueTask ApplyAsync(HttpRequestMessage request, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask<bool> RenewAfterRefusalAsync(HttpRequestMessage refused, CancellationToken cancellationToken) => ValueTask.FromResult(false);
}
