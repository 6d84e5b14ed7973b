using CallImport.Store;

namespace CallImport.ImportRunner.Limits;

/// <summary>
/// Where a limit group's slots are kept when several processes share one credential: PostgreSQL
/// (<see cref="SharedRateWindows"/>), keyed by platform + credential fingerprint + group.
/// </summary>
public interface IRateWindowStore
{
    /// <summary>
    /// Reserves <paramref name="count"/> slots in <paramref name="group"/>'s shared window, none before
    /// <paramref name="quietFor"/> from now, and records a quiet period others must honour too.
    /// Returns the slots on the store's clock with that clock's reading as the answer left (the caller maps
    /// them onto its own clock: <see cref="DatabaseClockMapping"/>). <paramref name="holdFirst"/>: the first
    /// slot's request may arrive that much later (a cold start); one more slot is kept unused at its latest arrival.
    /// <paramref name="pacedFor"/> &gt; 0: the caller met a throttle and paces at <paramref name="permitLimit"/>; every
    /// process on the credential then paces at the lowest such limit for that long (slots window ÷ limit apart).
    /// <paramref name="unused"/>: the caller's slots (as answered before) that it left unused, recorded for every process's
    /// throttle learning; the answer carries the credential's unused slots (<see cref="RateSlots.Unused"/>).
    /// <paramref name="count"/> 0 with reports only records them.
    /// </summary>
    Task<RateSlots> ReserveAsync(string group, int permitLimit, TimeSpan window, int count, TimeSpan quietFor, TimeSpan holdFirst, TimeSpan pacedFor,
        IReadOnlyList<RateSlot> unused, CancellationToken cancellationToken);
}
