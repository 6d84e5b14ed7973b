using System.Text.Json.Nodes;
using CallImport.ImportJobs;
using CallImport.Operator.Notifications;
using CallImport.Operator.Reconciliation;
using CallImport.Operator.Tests.Reconciliation;

namespace CallImport.Operator.Tests.Notifications;

public sealed class SlackMessageTests
{
    private static readonly DateTimeOffset Now = Scenario.InWindow;

    private static ImportJob Job => Scenario.NewJob() with { Spec = Scenario.NewJob().Spec with { RequestedBy = "jane@support" } };

    private static string Texts(JsonObject message) =>
        string.Join('\n', message.ToJsonString(), message["text"]!.GetValue<string>());

    [Fact]
    public void Build_Partial_HasCustomerPlatformCountsDurationTopErrorsAndKubectl()
    {
        var status = new ImportJobStatus
        {
            Phase = ImportJobPhase.Partial,
            TotalCalls = 40, ProcessedCalls = 36, FailedCalls = 3, SkippedCalls = 1,
            StartedAt = Now.AddHours(-2).AddMinutes(-5), CompletedAt = Now,
            RecentErrors =
            [
                new CallError { CallId = "rec-1", Error = "media download failed: HTTP 500", Retryable = true },
                new CallError { CallId = "rec-2", Error = "malformed payload: no start time", Retryable = false },
                new CallError { CallId = "rec-3", Error = "e3" },
                new CallError { CallId = "rec-4", Error = "e4" },
            ],
        };

        var message = SlackMessage.Build(Job, status, Now);
        var blocks = message["blocks"]!.AsArray();
        var json = message.ToJsonString();

        Assert.Equal("header", blocks[0]!["type"]!.GetValue<string>());
        Assert.Contains("is Partial", blocks[0]!["text"]!["text"]!.GetValue<string>());
        Assert.Contains("acme", json);
        Assert.Contains("grain", json);
        Assert.Contains("36 processed, 3 failed, 1 skipped of 40", json);
        Assert.Contains("2h 5m", json);
        Assert.Contains("jane@support", json);
        Assert.Contains("rec-1", json);
        Assert.Contains("rec-3", json);
        Assert.DoesNotContain("rec-4", json); // top three only
        Assert.Contains($"kubectl -n {Scenario.Namespace} describe importjob {Scenario.Name}", json);
        Assert.Contains("Partial", message["text"]!.GetValue<string>());
        Assert.All(blocks, b => Assert.Contains(b!["type"]!.GetValue<string>(), new[] { "header", "section", "context" }));
    }

    [Fact]
    public void Build_Stalled_SaysWhatToDo()
    {
        var status = new ImportJobStatus
        {
            Phase = ImportJobPhase.Queued,
            Conditions = [new ImportJobCondition { Type = ImportJobConditions.Stalled, Status = ConditionStatus.True, Reason = "SecretNotFound",
                Message = "Secret grain-credentials not found: create it in namespace imports." }],
        };

        var json = Texts(SlackMessage.Build(Job, status, Now));

        Assert.Contains("is Stalled", json);
        Assert.Contains("Secret grain-credentials not found: create it in namespace imports. (SecretNotFound)", json);
        Assert.Contains("not started", json);
    }

    [Fact]
    public void Build_LongError_StaysWithinSlacksLimits()
    {
        var status = new ImportJobStatus
        {
            Phase = ImportJobPhase.Failed,
            RecentErrors = [.. Enumerable.Range(0, 3).Select(i => new CallError { CallId = new string('c', 500), Error = new string('x', 5000) })],
        };

        var blocks = SlackMessage.Build(Job, status, Now)["blocks"]!.AsArray();

        Assert.All(blocks.Where(b => b!["type"]!.GetValue<string>() == "section" && b["text"] is not null),
            b => Assert.True(b!["text"]!["text"]!.GetValue<string>().Length <= 3000));
    }
}
