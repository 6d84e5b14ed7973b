using CallImport.ImportJobs;
using CallImport.Operator.ApiServer;
using CallImport.Operator.Audit;
using CallImport.Operator.Reconciliation;
using CallImport.Operator.Tests.Notifications;
using CallImport.Operator.Tests.Reconciliation;
using k8s;
using Microsoft.Extensions.Logging.Abstractions;

namespace CallImport.Operator.Tests.Audit;

public sealed class AuditTrailTests
{
    private static readonly DateTimeOffset Created = Scenario.InWindow.AddMinutes(-5);

    private static ImportJob Job(string? requestedBy, params ManagedFieldsEntry[] managed) => Scenario.NewJob() with
    {
        Metadata = Scenario.NewJob().Metadata with { ManagedFields = managed },
        Spec = Scenario.NewJob().Spec with { RequestedBy = requestedBy },
    };

    [Fact]
    public void Identity_TakesRequestedBy_AndTheEarliestManagerOfTheObjectItself()
    {
        var job = Job("jane@support",
            new ManagedFieldsEntry { Manager = "callimport-operator", Operation = "Update", Subresource = "status", Time = Created.AddSeconds(-30) },
            new ManagedFieldsEntry { Manager = "kubectl-annotate", Operation = "Update", Time = Created.AddMinutes(3) },
            new ManagedFieldsEntry { Manager = "argocd-controller", Operation = "Apply", Time = Created });

        Assert.Equal(new AuditIdentity("jane@support", "argocd-controller (Apply)"), AuditIdentity.Of(job));
    }

    [Fact]
    public void Identity_Unknown_WhenNeitherIsThere()
    {
        Assert.Equal(new AuditIdentity(AuditIdentity.Unknown, AuditIdentity.Unknown), AuditIdentity.Of(Job("  ")));
    }

    [Fact]
    public async Task Actions_CredentialsDeletedAndRetry_AreStructuredLogEvents_NamingTheSecretNeverItsContent()
    {
        var log = new RecordingLogger<AuditTrail>();
        // Neither writes an Event (the decision already does), so the client is never called.
        using var client = new Kubernetes(new KubernetesClientConfiguration { Host = "http://127.0.0.1:9" });
        var audit = new AuditTrail(new EventRecorder(client, TimeProvider.System, NullLogger<EventRecorder>.Instance), log);
        var job = Job("jane@support", new ManagedFieldsEntry { Manager = "kubectl-client-side-apply", Operation = "Update", Time = Created });

        await audit.ActionsAsync(job, [new ReconcileAction.DeleteCredentialsSecret("grain-credentials"), new ReconcileAction.ResetRetryableFailures("2026-01-15T10:00:00Z"),
            new ReconcileAction.EmitEvent("Normal", "RetryRequested", "not audited twice")], CancellationToken.None);

        var (deleted, retried) = (log.Entries[0], log.Entries[1]);
        Assert.Equal("CredentialsDeleted", deleted.Properties.Single(p => p.Key == "Audit").Value);
        Assert.Equal("RetryRequested", retried.Properties.Single(p => p.Key == "Audit").Value);
        Assert.All(log.Entries, e =>
        {
            Assert.Equal("jane@support", e.Properties.Single(p => p.Key == "RequestedBy").Value);
            Assert.Equal("kubectl-client-side-apply (Update)", e.Properties.Single(p => p.Key == "CreatedWith").Value);
            Assert.Equal("acme", e.Properties.Single(p => p.Key == "CustomerId").Value);
        });
        Assert.Contains("Deleted Secret grain-credentials", deleted.Message);
        Assert.Contains("Retry '2026-01-15T10:00:00Z' handled", retried.Message);
        Assert.Equal(2, log.Entries.Count);
    }
}
