using CallImport.ImportRunner.Platforms;
using CallImport.Store;

namespace CallImport.ImportRunner.Limits;

/// <summary>
/// The requests-per-day limit for one platform credential, counted in PostgreSQL so it holds across runs and pods.
/// </summary>
public sealed class DailyRequestQuota(DailyRequestCounter counter, string platform, string credential, long? requestsPerDay, TimeProvider time)
{
    public long? Limit { get; } = requestsPerDay;

    /// <summary>When the current day's quota resets (next UTC midnight).</summary>
    public DateTimeOffset NextReset => new DateTimeOffset(time.GetUtcNow().UtcDateTime.Date, TimeSpan.Zero).AddDays(1);

    /// <summary>Counts one request; throws <see cref="DailyQuotaExhaustedException"/> when the day's quota is spent.</summary>
    public async ValueTask ReserveAsync(CancellationToken cancellationToken)
    {
        if (Limit is not { } limit) return;
        var day = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        if (!await counter.TryReserveAsync(platform, credential, day, limit, 1, cancellationToken))
            throw new DailyQuotaExhaustedException($"The daily quota of {limit} requests to {platform} is spent; it resets at {NextReset:u}.");
    }
}
