namespace CallImport.Operator.Hosting;

/// <summary>Whether this replica leads, follows a known leader, or lost the lead (and must exit).</summary>
public sealed class Leadership
{
    private readonly TaskCompletionSource _leading = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile string? _leader;

    public bool IsLeader => _leading.Task.IsCompleted && !HasLost;

    /// <summary>The current leader's identity, once known.</summary>
    public string? Leader => _leader;

    public bool HasLost { get; private set; }

    public Task WhenLeading => _leading.Task;

    internal void Started() => _leading.TrySetResult();

    internal void NewLeader(string identity) => _leader = identity;

    internal void Lost() => HasLost = true;

    /// <summary>This replica handed the Lease back on shutdown.</summary>
    public bool HasReleased { get; private set; }

    internal void Released() => HasReleased = true;
}
