using CallImport.Store;

namespace CallImport.ImportRunner.Limits;

/// <summary>The limit groups' windows of one platform credential, kept in PostgreSQL and shared by every process using it.</summary>
public sealed class SharedRateWindows(RateWindowCounter counter, string platform, string credentialFingerprint) : IRateWindowStore
{
    public Task<RateSlots> ReserveAsync(string group, int permitLimit, TimeSpan window, int count, TimeSpan quietFor, TimeSpan holdFirst, TimeSpan pacedFor,
        IReadOnlyList<RateSlot> unused, CancellationToken cancellationToken) =>
        counter.ReserveAsync(platform, credentialFingerprint, group, permitLimit, window, count, quietFor, cancellationToken, holdFirst, pacedFor, unused);
}
