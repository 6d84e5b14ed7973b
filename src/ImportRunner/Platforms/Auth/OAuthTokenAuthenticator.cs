using System.Net.Http.Headers;

namespace CallImport.ImportRunner.Platforms.Auth;

/// <summary>
/// Bearer tokens that expire: gets one on first use, renews it <see cref="RefreshAhead"/> before it expires
/// (with the refresh token when there is one, else by asking again), and after a 401 renews once when the
/// refused request carried the current token. One renewal at a time: concurrent requests share it, so a
/// single-use refresh token is never spent twice.
/// </summary>
public sealed class OAuthTokenAuthenticator(ITokenSource source, TimeProvider time) : IRequestAuthenticator
{
    private readonly SemaphoreSlim _renewing = new(1, 1);
    private AccessToken? _token;

    /// <summary>How long before its expiry a token is replaced.</summary>
    public TimeSpan RefreshAhead { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How many tokens were obtained (first, refreshed or asked again): for tests and statistics.</summary>
    public int TokensObtained => Volatile.Read(ref _obtained);
    private int _obtained;

    public async ValueTask ApplyAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var token = await CurrentAsync(cancellationToken);
        request.Headers.Authorization = new AuthenticationHeaderValue(token.Scheme, token.Value);
    }

    public async ValueTask<bool> RenewAfterRefusalAsync(HttpRequestMessage refused, CancellationToken cancellationToken)
    {
        var sent = refused.Headers.Authorization?.Parameter;
        await _renewing.WaitAsync(cancellationToken);
        try
        {
            // Another request renewed meanwhile: its token is the one to retry with.
            if (_token is not null && sent is not null && _token.Value != sent) return true;
            _token = await RenewAsync(_token, cancellationToken);
            return true;
        }
        finally
        {
            _renewing.Release();
        }
    }

    private async ValueTask<AccessToken> CurrentAsync(CancellationToken cancellationToken)
    {
        var token = Volatile.Read(ref _token);
        if (token is not null && time.GetUtcNow() < token.ExpiresAt - RefreshAhead) return token;
        await _renewing.WaitAsync(cancellationToken);
        try
        {
            if (_token is null || time.GetUtcNow() >= _token.ExpiresAt - RefreshAhead)
                _token = await RenewAsync(_token, cancellationToken);
            return _token;
        }
        finally
        {
            _renewing.Release();
        }
    }

    private async Task<AccessToken> RenewAsync(AccessToken? current, CancellationToken cancellationToken)
    {
        AccessToken? renewed = null;
        if (current?.RefreshToken is not null) renewed = await source.RefreshAsync(current, cancellationToken);
        renewed ??= await source.RequestAsync(cancellationToken);
        Interlocked.Increment(ref _obtained);
        return renewed;
    }

    public override string ToString() => "OAuth bearer token (redacted)";
}
