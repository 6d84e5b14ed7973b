namespace CallImport.ImportRunner.Platforms.Zoom;

/// <summary>
/// The context's current bearer token: fetched on first use, asked for again shortly before it runs out (five
/// minutes before Zoom's hour; a tenth of a shorter lifetime) as there is no refresh token, and renewed after
/// Zoom refuses it. One fetch at a time.
/// </summary>
internal sealed class ZoomAccessToken(ZoomServerToServerTokenSource source, TimeProvider time)
{
    public static readonly TimeSpan RenewBefore = TimeSpan.FromMinutes(5);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile Issued? _current;

    public async Task<string> GetAsync(CancellationToken cancellationToken)
    {
        if (Usable(_current) is { } token) return token;
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (Usable(_current) is { } again) return again;
            var (fresh, expiresAt) = await source.RequestAsync(cancellationToken);
            var lifetime = expiresAt - time.GetUtcNow();
            _current = new Issued(fresh, expiresAt - (lifetime / 10 < RenewBefore ? lifetime / 10 : RenewBefore));
            return fresh;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Zoom refused <paramref name="refused"/>: forget it (unless a newer one replaced it meanwhile).</summary>
    public void Refused(string refused)
    {
        if (_current is { } current && current.Token == refused) _current = null;
    }

    private string? Usable(Issued? token) =>
        token is { } t && time.GetUtcNow() < t.RenewAt ? t.Token : null;

    private sealed record Issued(string Token, DateTimeOffset RenewAt);
}
