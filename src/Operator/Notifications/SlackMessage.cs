using System.Globalization;
using System.Text.Json.Nodes;
using CallImport.ImportJobs;
using CallImport.Operator.Reconciliation;

namespace CallImport.Operator.Notifications;

/// <summary>
/// The Block Kit message for one transition: a header, the customer, platform, counts and duration as fields, the
/// Stalled message, the top errors, and the kubectl command to look closer; <c>text</c> is the notification fallback.
/// Slack limits: header text 150 characters, section text 3000, field text 2000.
/// </summary>
public static class SlackMessage
{
    private const int TopErrors = 3;

    public static JsonObject Build(ImportJob importJob, ImportJobStatus status, DateTimeOffset now)
    {
        var meta = importJob.Metadata;
        var (transition, _) = NotificationDecision.TransitionOf(status);
        var title = $"{Emoji(transition)} ImportJob {meta.Namespace}/{meta.Name} is {transition}";
        var blocks = new JsonArray
        {
            new JsonObject { ["type"] = "header", ["text"] = PlainText(Truncate(title, 150)) },
            new JsonObject
            {
                ["type"] = "section",
                ["fields"] = new JsonArray(
                    Field("Customer", importJob.Spec.CustomerId),
                    Field("Platform", importJob.Spec.Platform),
                    Field("Phase", status.Phase ?? "—"),
                    Field("Calls", Counts(status)),
                    Field("Duration", Duration(status, now)),
                    Field("Requested by", importJob.Spec.RequestedBy is { Length: > 0 } who ? who : "—")),
            },
        };
        if (transition == NotificationDecision.Stalled && StalledMessage(status) is { } stalled)
            blocks.Add(Section($"*Needs a person:* {stalled}"));
        else if (status.Phase == ImportJobPhase.Waiting && status.NextWindowStart is { } next)
            blocks.Add(Section($"Waiting for the window; next start {next.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC."));
        if (status.RecentErrors is { Count: > 0 } errors)
        {
            var lines = errors.Take(TopErrors).Select(e => $"• `{Truncate(e.CallId, 80)}` {Truncate(OneLine(e.Error), 300)}{(e.Retryable ? " (retryable)" : "")}");
            blocks.Add(Section(Truncate("*Top errors*\n" + string.Join('\n', lines), 3000)));
        }
        blocks.Add(new JsonObject
        {
            ["type"] = "context",
            ["elements"] = new JsonArray(Markdown($"`kubectl -n {meta.Namespace} describe importjob {meta.Name}`")),
        });
        return new JsonObject
        {
            ["text"] = Truncate($"{title}: {Counts(status)} ({importJob.Spec.CustomerId}, {importJob.Spec.Platform})", 3000),
            ["blocks"] = blocks,
        };
    }

    private static string Counts(ImportJobStatus s) =>
        $"{s.ProcessedCalls ?? 0} processed, {s.FailedCalls ?? 0} failed, {s.SkippedCalls ?? 0} skipped of {s.TotalCalls?.ToString(CultureInfo.InvariantCulture) ?? "?"}";

    private static string Duration(ImportJobStatus s, DateTimeOffset now)
    {
        if (s.StartedAt is not { } started)
            return "not started";
        var span = (s.CompletedAt ?? now) - started;
        if (span < TimeSpan.Zero)
            span = TimeSpan.Zero;
        return span.TotalHours >= 1
            ? $"{(int)span.TotalHours}h {span.Minutes}m"
            : span.TotalMinutes >= 1 ? $"{span.Minutes}m {span.Seconds}s" : $"{span.Seconds}s";
    }

    private static string? StalledMessage(ImportJobStatus s) =>
        s.Conditions?.FirstOrDefault(c => c.Type == ImportJobConditions.Stalled && c.Status == ConditionStatus.True) is { } c
            ? Truncate($"{c.Message} ({c.Reason})", 2900)
            : null;

    private static string Emoji(string? transition) => transition switch
    {
        ImportJobPhase.Completed => ":white_check_mark:",
        ImportJobPhase.Partial => ":warning:",
        ImportJobPhase.Failed or NotificationDecision.Stalled => ":x:",
        ImportJobPhase.Cancelled => ":no_entry_sign:",
        ImportJobPhase.Waiting => ":hourglass_flowing_sand:",
        _ => ":arrow_forward:",
    };

    private static JsonObject Field(string name, string value) => Markdown($"*{name}*\n{Truncate(value, 1900)}");

    private static JsonObject Section(string markdown) => new() { ["type"] = "section", ["text"] = Markdown(markdown) };

    private static JsonObject Markdown(string text) => new() { ["type"] = "mrkdwn", ["text"] = text };

    private static JsonObject PlainText(string text) => new() { ["type"] = "plain_text", ["text"] = text, ["emoji"] = true };

    private static string OneLine(string text) => text.ReplaceLineEndings(" ");

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}
