using CallImport.ImportJobs;
using CallImport.Operator.Notifications;
using CallImport.Operator.Reconciliation;
using CallImport.Operator.Tests.Reconciliation;

namespace CallImport.Operator.Tests.Notifications;

/// <summary>The notifier's decision as a table: status before → status after, annotations, default channel → message or not, and the record kept.</summary>
public sealed class NotificationDecisionTests
{
    private static readonly DateTimeOffset Now = Scenario.InWindow;
    private static readonly SlackChannel Default = new("callimport-system", "slack-webhook");

    private static ImportJobStatus Status(string? phase, NotificationRecord? record = null, string? stalledReason = null) => new()
    {
        Phase = phase,
        Notifications = record,
        Conditions = stalledReason is null ? null :
            [new ImportJobCondition { Type = ImportJobConditions.Stalled, Status = ConditionStatus.True, Reason = stalledReason, Message = "Create the Secret." }],
    };

    private static NotificationRecord Sent(string phase, string? reason = null) => new() { LastNotifiedPhase = phase, LastNotifiedReason = reason, LastNotifiedAt = Now.AddHours(-1) };

    private static ImportJob Job(params (string Key, string Value)[] annotations) => Scenario.NewJob() with
    {
        Metadata = Scenario.NewJob().Metadata with { Annotations = annotations.ToDictionary(a => a.Key, a => a.Value) },
    };

    public static TheoryData<string, ImportJobStatus?, ImportJobStatus, bool, string?, string?> Table => new()
    {
        // case, before, after, default channel?, expected message transition (null: none), expected skip reason
        { "new ImportJob, Queued: remembered, not sent", null, Status(ImportJobPhase.Queued), true, null, NotificationDecision.SkipReasons.NotNotified },
        { "Queued → Running: sent", Status(ImportJobPhase.Queued, new() { LastNotifiedPhase = "Queued", Skipped = "NotNotified" }), Status(ImportJobPhase.Running), true, "Running", null },
        { "Running → Running (progress only): nothing", Status(ImportJobPhase.Running, Sent("Running")), Status(ImportJobPhase.Running), true, null, null },
        { "Running → Waiting: sent", Status(ImportJobPhase.Running, Sent("Running")), Status(ImportJobPhase.Waiting), true, "Waiting", null },
        { "Running → Completed: sent", Status(ImportJobPhase.Running, Sent("Running")), Status(ImportJobPhase.Completed), true, "Completed", null },
        { "Running → Partial: sent", Status(ImportJobPhase.Running, Sent("Running")), Status(ImportJobPhase.Partial), true, "Partial", null },
        { "Running → Failed: sent", Status(ImportJobPhase.Running, Sent("Running")), Status(ImportJobPhase.Failed), true, "Failed", null },
        { "Running → Cancelled: sent", Status(ImportJobPhase.Running, Sent("Running")), Status(ImportJobPhase.Cancelled), true, "Cancelled", null },
        { "Queued → Stalled (Secret missing): sent as Stalled", Status(ImportJobPhase.Queued), Status(ImportJobPhase.Queued, stalledReason: "SecretNotFound"), true, "Stalled", null },
        { "still Stalled, same reason: nothing", Status(ImportJobPhase.Queued, Sent("Stalled", "SecretNotFound"), "SecretNotFound"), Status(ImportJobPhase.Queued, stalledReason: "SecretNotFound"), true, null, null },
        { "Stalled for another reason: sent", Status(ImportJobPhase.Queued, Sent("Stalled", "SecretNotFound"), "SecretNotFound"), Status(ImportJobPhase.Failed, stalledReason: "CredentialsRejected"), true, "Stalled", null },
        { "Stalled fixed, now Running: sent", Status(ImportJobPhase.Queued, Sent("Stalled", "SecretNotFound"), "SecretNotFound"), Status(ImportJobPhase.Running), true, "Running", null },
        { "already sent Completed, restarted operator: nothing", Status(ImportJobPhase.Completed, Sent("Completed")), Status(ImportJobPhase.Completed), true, null, null },
        { "older operator's status (no record), unchanged phase: remembered, not sent", Status(ImportJobPhase.Running), Status(ImportJobPhase.Running), true, null, NotificationDecision.SkipReasons.NotNotified },
        { "older operator's status (no record), phase changes: sent", Status(ImportJobPhase.Running), Status(ImportJobPhase.Completed), true, "Completed", null },
        { "no default channel, no annotation: remembered as NoWebhook", Status(ImportJobPhase.Running, Sent("Running")), Status(ImportJobPhase.Completed), false, null, NotificationDecision.SkipReasons.NoWebhook },
    };

    [Theory]
    [MemberData(nameof(Table))]
    public void Decide_FollowsTheTable(string name, ImportJobStatus? before, ImportJobStatus after, bool hasDefault, string? sends, string? skipped)
    {
        var plan = NotificationDecision.Decide(Job() with { Status = before }, before, after, hasDefault ? Default : null, Now);

        Assert.True(sends == (plan.Sends ? plan.Record!.LastNotifiedPhase : null), $"{name}: sends {(plan.Sends ? plan.Record!.LastNotifiedPhase : "nothing")}");
        if (sends is not null)
        {
            Assert.Equal(Default, plan.Channel);
            Assert.Equal(Now, plan.Record!.LastNotifiedAt);
            Assert.Null(plan.Record.Skipped);
        }
        if (skipped is not null)
            Assert.Equal(skipped, plan.Record!.Skipped);
        Assert.Equal(NotificationDecision.TransitionOf(after).Phase, plan.Record?.LastNotifiedPhase);
    }

    [Theory]
    [InlineData("off")]
    [InlineData("false")]
    [InlineData("Disabled")]
    public void Decide_OptedOutByAnnotation_RemembersWithoutSending(string value)
    {
        var before = Status(ImportJobPhase.Running, Sent("Running"));
        var plan = NotificationDecision.Decide(Job((NotificationAnnotations.Slack, value)) with { Status = before }, before, Status(ImportJobPhase.Completed), Default, Now);

        Assert.False(plan.Sends);
        Assert.Equal(NotificationDecision.SkipReasons.OptedOut, plan.Record!.Skipped);
        Assert.Equal(ImportJobPhase.Completed, plan.Record.LastNotifiedPhase);
    }

    [Fact]
    public void Decide_WebhookSecretAnnotation_SendsToThatSecretInTheImportJobsNamespace_EvenWithoutADefault()
    {
        var before = Status(ImportJobPhase.Running, Sent("Running"));
        var plan = NotificationDecision.Decide(Job((NotificationAnnotations.WebhookSecret, "team-sales-slack")) with { Status = before }, before, Status(ImportJobPhase.Partial), null, Now);

        Assert.Equal(new SlackChannel(Scenario.Namespace, "team-sales-slack"), plan.Channel);
    }

    [Fact]
    public void Decide_SameTransitionTwice_SendsOnlyOnce()
    {
        var before = Status(ImportJobPhase.Running, Sent("Running"));
        var first = NotificationDecision.Decide(Job(), before, Status(ImportJobPhase.Completed), Default, Now);
        var written = Status(ImportJobPhase.Completed, first.Record);
        var second = NotificationDecision.Decide(Job(), written, Status(ImportJobPhase.Completed), Default, Now.AddMinutes(1));

        Assert.True(first.Sends);
        Assert.False(second.Sends);
        Assert.Equal(first.Record, second.Record);
    }
}
