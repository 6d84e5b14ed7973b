namespace CallImport.Operator.Notifications;

/// <summary>Where a message goes: a Secret holding an incoming webhook URL (never the URL itself, so it is never logged).</summary>
public sealed record SlackChannel(string SecretNamespace, string SecretName)
{
    public override string ToString() => $"Secret {SecretNamespace}/{SecretName}";

    /// <summary>The operator-wide channel from the settings; null when none is set.</summary>
    public static SlackChannel? DefaultOf(OperatorSettings settings) =>
        string.IsNullOrWhiteSpace(settings.SlackWebhookSecretName)
            ? null
            : new SlackChannel(
                !string.IsNullOrWhiteSpace(settings.SlackWebhookSecretNamespace) ? settings.SlackWebhookSecretNamespace
                    : Environment.GetEnvironmentVariable("POD_NAMESPACE") is { Length: > 0 } ns ? ns : "default",
                settings.SlackWebhookSecretName.Trim());
}
