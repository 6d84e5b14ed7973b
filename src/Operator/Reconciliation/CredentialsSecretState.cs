namespace CallImport.Operator.Reconciliation;

/// <summary>The credentials Secret as observed: whether it exists and which keys it has (never the values).</summary>
/// <param name="Exists">Whether the Secret exists.</param>
/// <param name="Keys">Its key names.</param>
public sealed record CredentialsSecretState(bool Exists, IReadOnlyCollection<string> Keys)
{
    public static CredentialsSecretState Missing { get; } = new(false, []);

    /// <summary>Its resourceVersion: a change means the Secret was edited or replaced.</summary>
    public string? Version { get; init; }

    /// <summary>Other ImportJobs in the namespace, not yet ended, that use the same Secret (so it must not be deleted yet).</summary>
    public IReadOnlyList<string> AlsoUsedBy { get; init; } = [];

    public static CredentialsSecretState WithKeys(params string[] keys) => new(true, keys);
}
