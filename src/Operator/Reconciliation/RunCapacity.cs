namespace CallImport.Operator.Reconciliation;

/// <summary>
/// Runner Jobs of other ImportJobs running now (this ImportJob's own are not counted), to hold against the
/// operator's caps: in all, for this ImportJob's customer, and against its platform.
/// </summary>
public sealed record RunCapacity(int RunningAll, int RunningForCustomer, int RunningForPlatform)
{
    public static RunCapacity Idle { get; } = new(0, 0, 0);
}
