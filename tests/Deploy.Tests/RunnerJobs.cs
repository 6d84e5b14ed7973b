using CallImport.ImportJobs;
using CallImport.Operator;
using CallImport.Operator.Reconciliation;
using CallImport.Operator.Runs;
using k8s.Models;

namespace CallImport.Deploy.Tests;

/// <summary>A runner Job exactly as the operator builds it, to hold the chart and the images against.</summary>
internal static class RunnerJobs
{
    public static V1Job Sample(OperatorSettings? settings = null, string ns = "team-a") => RunnerJobTemplate.Build(new ImportJob
    {
        Metadata = new ObjectMeta { Name = "acme-grain", Namespace = ns, Uid = "uid-1", CreationTimestamp = new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero) },
        Spec = new ImportJobSpec
        {
            CustomerId = "acme",
            Platform = "grain",
            CredentialsSecretRef = new SecretReference { Name = "acme-grain" },
        },
    }, new ReconcileAction.CreateRunnerJob(1, "acme-grain-r1", null), settings ?? new OperatorSettings());
}
