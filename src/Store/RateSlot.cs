namespace CallImport.Store;

/// <summary>One slot of a shared budget as the database knows it: its time on the database's clock and its number.</summary>
public readonly record struct RateSlot(DateTimeOffset At, long Sequence);
