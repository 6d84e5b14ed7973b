namespace CallImport.Operator.Scheduling;

/// <summary>Where an instant stands against a daily window.</summary>
/// <param name="IsOpen">Whether a run may be going now.</param>
/// <param name="CurrentWindowEnd">When the open window closes (the runner's stop-at); null when closed or open all day.</param>
/// <param name="NextWindowStart">The next opening strictly after now; null for an all-day window.</param>
public sealed record ScheduleWindowState(bool IsOpen, DateTimeOffset? CurrentWindowEnd, DateTimeOffset? NextWindowStart);
