using CallImport.ImportJobs;
using CallImport.Operator.Reconciliation;

namespace CallImport.Operator.Notifications;

/// <summary>What the notifier does about one status write: the record to keep in status.notifications, and the message to send, if any.</summary>
public sealed record NotificationPlan(NotificationRecord? Record, SlackChannel? Channel)
{
    public static NotificationPlan Nothing(NotificationRecord? unchanged) => new(unchanged, null);

    public bool Sends => Channel is not null;
}

/// <summary>
/// Whether a status change deserves a Slack message. Pure: the ImportJob, its status before and after this reconcile,
/// the operator's default channel and the clock in; a plan out. The transition is recorded in the same status write
/// that makes it, so a restarted operator or a new leader sees it handled and never sends it again (at most once).
/// </summary>
public static class NotificationDecision
{
    public const string Stalled = "Stalled";

    public static class SkipReasons
    {
        public const string OptedOut = "OptedOut";
        public const string NoWebhook = "NoWebhook";
        public const string NotNotified = "NotNotified";
    }

    public static NotificationPlan Decide(ImportJob importJob, ImportJobStatus? before, ImportJobStatus after, SlackChannel? defaultChannel, DateTimeOffset now)
    {
        var recorded = before?.Notifications;
        var (phase, reason) = TransitionOf(after);
        if (phase is null)
            return NotificationPlan.Nothing(recorded);
        if (recorded is null && before?.Phase is not null && TransitionOf(before) == (phase, reason))
        {
            // Made by an operator that kept no record (an older version): nothing changed now, so only remember it.
            return NotificationPlan.Nothing(Record(phase, reason, null, SkipReasons.NotNotified));
        }
        if (recorded is not null && recorded.LastNotifiedPhase == phase && recorded.LastNotifiedReason == reason)
            return NotificationPlan.Nothing(recorded);

        if (phase == ImportJobPhase.Queued)
            return NotificationPlan.Nothing(Record(phase, reason, null, SkipReasons.NotNotified));
        if (NotificationAnnotations.IsOptedOut(importJob.Metadata.Annotations))
            return NotificationPlan.Nothing(Record(phase, reason, null, SkipReasons.OptedOut));
        var channel = NotificationAnnotations.WebhookSecretOf(importJob.Metadata.Annotations) is { } secret
            ? new SlackChannel(importJob.Metadata.Namespace ?? "default", secret)
            : defaultChannel;
        if (channel is null)
            return NotificationPlan.Nothing(Record(phase, reason, null, SkipReasons.NoWebhook));
        return new NotificationPlan(Record(phase, reason, now, null), channel);
    }

    /// <summary>The transition a status stands for: Stalled (with its reason) while that condition is True, else the phase.</summary>
    public static (string? Phase, string? Reason) TransitionOf(ImportJobStatus status) =>
        status.Conditions?.FirstOrDefault(c => c.Type == ImportJobConditions.Stalled && c.Status == ConditionStatus.True) is { } stalled
            ? (Stalled, stalled.Reason)
            : (status.Phase, null);

    private static NotificationRecord Record(string phase, string? reason, DateTimeOffset? at, string? skipped) =>
        new() { LastNotifiedPhase = phase, LastNotifiedReason = reason, LastNotifiedAt = at, Skipped = skipped };
}
