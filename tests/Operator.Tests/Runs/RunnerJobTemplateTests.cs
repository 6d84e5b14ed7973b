using CallImport.ImportJobs;
using CallImport.Operator.Reconciliation;
using CallImport.Operator.Runs;

namespace CallImport.Operator.Tests.Runs;

public sealed class RunnerJobTemplateTests
{
    private static readonly ImportJob ImportJob = new()
    {
        Metadata = new ObjectMeta { Name = "acme-grain", Namespace = "imports", Uid = "0b5e-uid", CreationTimestamp = new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero) },
        Spec = new ImportJobSpec
        {
            CustomerId = "acme",
            Platform = "grain",
            CredentialsSecretRef = new SecretReference { Name = "grain-credentials" },
            DateRange = new DateRange { Start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), End = new DateTimeOffset(2026, 2, 1, 0, 0, 0, TimeSpan.Zero) },
            Filters = new Dictionary<string, string> { ["team"] = "sales" },
            InternalDomains = ["acme.com", "acme.io"],
            RateLimit = new RateLimitSpec { RequestsPerSecond = 0.5 },
            Concurrency = 2,
        },
    };

    private static readonly ReconcileAction.CreateRunnerJob Run = new(3, "acme-grain-r3", new DateTimeOffset(2026, 3, 2, 8, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Build_NamesLabelsAndOwnsTheJob_SoARepeatedCreateIsHarmlessAndDeletionCascades()
    {
        var job = RunnerJobTemplate.Build(ImportJob, Run, new OperatorSettings());

        Assert.Equal("acme-grain-r3", job.Metadata.Name);
        Assert.Equal("imports", job.Metadata.NamespaceProperty);
        Assert.Equal("callimport-operator", job.Metadata.Labels["app.kubernetes.io/managed-by"]);
        Assert.Equal("acme-grain", job.Metadata.Labels["callimport.io/importjob"]);
        Assert.Equal("3", job.Metadata.Labels["callimport.io/run"]);
        Assert.Equal(job.Metadata.Labels, job.Spec.Template.Metadata.Labels);
        var owner = Assert.Single(job.Metadata.OwnerReferences);
        Assert.Equal(("callimport.io/v1alpha1", "ImportJob", "acme-grain", "0b5e-uid", true, true),
            (owner.ApiVersion, owner.Kind, owner.Name, owner.Uid, owner.Controller, owner.BlockOwnerDeletion));
    }

    [Fact]
    public void Build_PodIsHardened_NoTokenNonRootReadOnlyNoCapabilities()
    {
        var pod = RunnerJobTemplate.Build(ImportJob, Run, new OperatorSettings()).Spec.Template.Spec;
        var container = Assert.Single(pod.Containers);

        Assert.Equal("Never", pod.RestartPolicy);
        Assert.False(pod.AutomountServiceAccountToken);
        Assert.True(pod.SecurityContext.RunAsNonRoot);
        Assert.Equal("RuntimeDefault", pod.SecurityContext.SeccompProfile.Type);
        Assert.Equal(65532, container.SecurityContext.RunAsUser);
        Assert.True(container.SecurityContext.ReadOnlyRootFilesystem);
        Assert.False(container.SecurityContext.AllowPrivilegeEscalation);
        Assert.Equal(["ALL"], container.SecurityContext.Capabilities.Drop);
        var credentials = pod.Volumes.Single(v => v.Name == "credentials");
        Assert.Equal(("grain-credentials", 256), (credentials.Secret.SecretName, credentials.Secret.DefaultMode!.Value));
        Assert.Contains(container.VolumeMounts, m => m.MountPath == RunnerJobTemplate.CredentialsPath && m.ReadOnlyProperty == true);
        Assert.Contains(container.VolumeMounts, m => m.MountPath == "/tmp");
        Assert.Equal("512Mi", container.Resources.Limits["memory"].ToString());
    }

    [Fact]
    public void Build_DeliberateExitCodesFailTheJobAtOnce_CrashesUseTheBackoffLimit()
    {
        var job = RunnerJobTemplate.Build(ImportJob, Run, new OperatorSettings { RunnerBackoffLimit = 4, RunnerActiveDeadlineSeconds = 3600 });

        var rule = Assert.Single(job.Spec.PodFailurePolicy.Rules);
        Assert.Equal(("FailJob", "In", "runner"), (rule.Action, rule.OnExitCodes.OperatorProperty, rule.OnExitCodes.ContainerName));
        Assert.Equal([2, 3, 4], rule.OnExitCodes.Values);
        Assert.Equal(4, job.Spec.BackoffLimit);
        Assert.Equal(3600, job.Spec.ActiveDeadlineSeconds);
    }

    [Fact]
    public void Build_HandsTheSpecToTheRunnerAsArguments()
    {
        var container = RunnerJobTemplate.Build(ImportJob, Run, new OperatorSettings { RunnerCommand = "/app/ImportRunner" }).Spec.Template.Spec.Containers[0];

        Assert.Equal(["/app/ImportRunner"], container.Command);
        Assert.Equal(
            ["import", "--platform", "grain", "--customer", "acme", "--credentials-dir", "/var/run/callimport/credentials",
             "--from", "2026-01-01T00:00:00Z", "--to", "2026-02-01T00:00:00Z", "--import-id", "0b5e-uid", "--batch-id", "0b5e-uid",
             "--run-id", "acme-grain-r3", "--concurrency", "2", "--max-attempts", "5", "--stop-at", "2026-03-02T08:00:00Z",
             "--requests-per-second", "0.5", "--filter", "team=sales", "--internal-domains", "acme.com,acme.io"],
            container.Args);
    }

    [Fact]
    public void Build_DatabaseFromTheSecretUnlessAPlainDevelopmentValueIsGiven()
    {
        var fromSecret = RunnerJobTemplate.Build(ImportJob, Run, new OperatorSettings { DatabaseSecretName = "db" }).Spec.Template.Spec.Containers[0].Env;
        var plain = RunnerJobTemplate.Build(ImportJob, Run, new OperatorSettings
        {
            RunnerDatabaseConnectionString = "Host=dev",
            RunnerStorage = "file:///media/",
            RunnerEnvironment = new() { ["CALLIMPORT_PLATFORM_RPS_OVERRIDE"] = "200" },
        }).Spec.Template.Spec.Containers[0].Env;

        var database = fromSecret.Single(e => e.Name == "CALLIMPORT_DATABASE");
        Assert.Null(database.Value);
        Assert.Equal(("db", "connectionString"), (database.ValueFrom.SecretKeyRef.Name, database.ValueFrom.SecretKeyRef.Key));
        Assert.Equal(
            [("CALLIMPORT_DATABASE", "Host=dev"), ("CALLIMPORT_STORAGE", "file:///media/"), ("CALLIMPORT_PLATFORM_RPS_OVERRIDE", "200")],
            plain.Select(e => (e.Name, e.Value)));
    }
}
