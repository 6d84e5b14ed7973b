using CallImport.ImportJobs;

namespace CallImport.Operator.Reconciliation;

/// <summary>What to do for one ImportJob: actions in order, the status to write once, and when to look again.</summary>
/// <param name="RequeueAfter">When to reconcile again without a watch event; null = only on the next event.</param>
public sealed record ReconcilePlan(IReadOnlyList<ReconcileAction> Actions, ImportJobStatus NewStatus, TimeSpan? RequeueAfter)
{
    public IEnumerable<ReconcileAction.EmitEvent> Events => Actions.OfType<ReconcileAction.EmitEvent>();

    /// <summary>Whether <see cref="NewStatus"/> differs from <paramref name="current"/>, so a status write is needed.</summary>
    public bool ChangesStatus(ImportJobStatus? current) =>
        ImportJobJson.Serialize(current ?? new ImportJobStatus()) != ImportJobJson.Serialize(NewStatus);
}
