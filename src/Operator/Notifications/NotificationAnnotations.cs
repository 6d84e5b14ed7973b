namespace CallImport.Operator.Notifications;

/// <summary>Per-ImportJob Slack settings, as annotations (they change nothing in the import itself).</summary>
public static class NotificationAnnotations
{
    /// <summary><c>off</c> (or <c>false</c>, <c>disabled</c>): no Slack message for this ImportJob.</summary>
    public const string Slack = "callimport.io/slack";

    /// <summary>A Secret in the ImportJob's namespace whose webhook URL replaces the operator's default channel.</summary>
    public const string WebhookSecret = "callimport.io/slack-webhook-secret";

    public static bool IsOptedOut(IReadOnlyDictionary<string, string>? annotations) =>
        annotations?.GetValueOrDefault(Slack)?.Trim().ToLowerInvariant() is "off" or "false" or "disabled" or "no";

    public static string? WebhookSecretOf(IReadOnlyDictionary<string, string>? annotations) =>
        annotations?.GetValueOrDefault(WebhookSecret) is { Length: > 0 } name ? name.Trim() : null;
}
