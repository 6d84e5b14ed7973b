namespace CallImport.ImportRunner.Limits;

/// <summary>
/// What a limit group knows about the vendor's real limit when throttles showed it lower than declared.
/// </summary>
/// <param name="Limit">The limit in force.</param>
/// <param name="Stable">The highest limit that ran clean: <see cref="Limit"/>, unless a probe above it is running.</param>
/// <param name="Step">How much the next probe adds (doubles after each probe that ran clean, back to 1 after a refusal).</param>
/// <param name="Backoff">How long after a throttle the next probe waits (doubles after each refused probe).</param>
/// <param name="NextProbe">When the next probe may start, or when the running one has run clean long enough to keep.</param>
/// <param name="Lowered">When the limit was last lowered: a refusal of a request sent before it belongs to that episode.</param>
/// <param name="Paced">Slots spread evenly over the window instead of sent in bursts (after any throttle): a refusal then finds one request in flight, not a burst.</param>
public readonly record struct LearnedLimit(int Limit, int Stable, int Step, TimeSpan Backoff, DateTimeOffset NextProbe, DateTimeOffset Lowered, bool Paced)
{
    /// <summary>Nothing learned yet: the declared limit, sent in bursts.</summary>
    public static LearnedLimit Declared(LimitGroup group) =>
        new(group.PermitLimit, group.PermitLimit, 1, TimeSpan.Zero, DateTimeOffset.MinValue, DateTimeOffset.MinValue, Paced: false);

    /// <summary>A probe above the stable limit is running.</summary>
    public bool Probing => Limit > Stable;
}
