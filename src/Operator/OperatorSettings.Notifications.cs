namespace CallImport.Operator;

public sealed partial record OperatorSettings
{
    /// <summary>
    /// Secret holding the operator-wide Slack incoming webhook URL (key <see cref="SlackWebhookSecretKey"/>);
    /// empty = no default channel (ImportJobs may still name their own with an annotation).
    /// </summary>
    public string? SlackWebhookSecretName { get; init; }

    /// <summary>Namespace of <see cref="SlackWebhookSecretName"/>; empty = the operator's own (POD_NAMESPACE), else <c>default</c>.</summary>
    public string? SlackWebhookSecretNamespace { get; init; }

    /// <summary>The key of the webhook URL in the Slack Secrets (the default one and those named by ImportJobs).</summary>
    public string SlackWebhookSecretKey { get; init; } = "webhookUrl";

    /// <summary>Attempts per message before it is given up (429 and 5xx are retried; 4xx are not).</summary>
    public int SlackMaxAttempts { get; init; } = 6;

    /// <summary>First retry delay; doubles per attempt up to <see cref="SlackMaxRetryDelay"/> (Slack's Retry-After wins when longer).</summary>
    public TimeSpan SlackRetryDelay { get; init; } = TimeSpan.FromSeconds(2);

    public TimeSpan SlackMaxRetryDelay { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Messages waiting to be sent; beyond this the oldest is dropped (counted, logged), never the reconcile blocked.</summary>
    public int SlackQueueCapacity { get; init; } = 500;

    /// <summary>Timeout of one POST to the webhook.</summary>
    public TimeSpan SlackRequestTimeout { get; init; } = TimeSpan.FromSeconds(10);
}
