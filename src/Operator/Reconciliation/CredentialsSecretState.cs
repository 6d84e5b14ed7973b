namespace CallImport.Operator.Reconciliation;

/// <summary>The credentials Secret as observed: whether it exists and which keys it has (never the values).</summary>
public sealed record CredentialsSecretState(bool Exists, IReadOnlyCollection<string> Keys)
{
    public static CredentialsSecretState Missing { get; } = new(false, []);

    public static CredentialsSecretState WithKeys(params string[] keys) => new(true, keys);
}
