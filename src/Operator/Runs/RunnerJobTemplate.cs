using System.Globalization;
using CallImport.ImportJobs;
using CallImport.Operator.Reconciliation;
using k8s.Models;

namespace CallImport.Operator.Runs;

/// <summary>
/// The batch/v1 Job of one run: the ImportRunner with the ImportJob's spec as arguments, the credentials Secret
/// mounted read-only, a hardened pod with no service-account token (the runner never talks to Kubernetes).
/// </summary>
public static class RunnerJobTemplate
{
    public const string CredentialsPath = "/var/run/callimport/credentials";
    public const string ContainerName = "runner";
    private const int RunnerUser = 65532;

    /// <summary>Used when the spec has no dateRange: everything up to the ImportJob's creation.</summary>
    public static readonly DateTimeOffset OpenRangeStart = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static V1Job Build(ImportJob importJob, ReconcileAction.CreateRunnerJob run, OperatorSettings settings)
    {
        var meta = importJob.Metadata;
        var labels = new Dictionary<string, string>
        {
            [RunnerJobLabels.Name] = RunnerJobLabels.RunnerName,
            [RunnerJobLabels.ManagedBy] = RunnerJobLabels.Manager,
            [RunnerJobLabels.Instance] = meta.Name!,
            [RunnerJobLabels.ImportJob] = meta.Name!,
            [RunnerJobLabels.Run] = run.RunNumber.ToString(CultureInfo.InvariantCulture),
        };
        return new V1Job
        {
            ApiVersion = "batch/v1",
            Kind = "Job",
            Metadata = new V1ObjectMeta
            {
                Name = run.JobName,
                NamespaceProperty = meta.Namespace,
                Labels = labels,
                OwnerReferences =
                [
                    new V1OwnerReference
                    {
                        ApiVersion = ImportJobResource.ApiVersion,
                        Kind = ImportJobResource.Kind,
                        Name = meta.Name,
                        Uid = meta.Uid,
                        Controller = true,
                        BlockOwnerDeletion = true,
                    },
                ],
            },
            Spec = new V1JobSpec
            {
                BackoffLimit = settings.RunnerBackoffLimit,
                ActiveDeadlineSeconds = settings.RunnerActiveDeadlineSeconds,
                PodFailurePolicy = new V1PodFailurePolicy
                {
                    Rules =
                    [
                        new V1PodFailurePolicyRule
                        {
                            Action = "FailJob",
                            OnExitCodes = new V1PodFailurePolicyOnExitCodesRequirement
                            {
                                ContainerName = ContainerName,
                                OperatorProperty = "In",
                                Values = [.. RunnerExitCodes.Deliberate],
                            },
                        },
                    ],
                },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = labels },
                    Spec = PodSpec(importJob, run, settings),
                },
            },
        };
    }

    private static V1PodSpec PodSpec(ImportJob importJob, ReconcileAction.CreateRunnerJob run, OperatorSettings settings) => new()
    {
        RestartPolicy = "Never",
        ServiceAccountName = string.IsNullOrEmpty(settings.RunnerServiceAccountName) ? null : settings.RunnerServiceAccountName,
        AutomountServiceAccountToken = false,
        SecurityContext = new V1PodSecurityContext
        {
            RunAsNonRoot = true,
            RunAsUser = RunnerUser,
            RunAsGroup = RunnerUser,
            FsGroup = RunnerUser,
            SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" },
        },
        Volumes =
        [
            new V1Volume { Name = "credentials", Secret = new V1SecretVolumeSource { SecretName = importJob.Spec.CredentialsSecretRef.Name, DefaultMode = 0x100 /* 0400 */ } },
            new V1Volume { Name = "tmp", EmptyDir = new V1EmptyDirVolumeSource() },
        ],
        Containers =
        [
            new V1Container
            {
                Name = ContainerName,
                Image = settings.RunnerImage,
                Command = [settings.RunnerCommand],
                Args = RunnerArguments.For(importJob, run),
                Env = Environment(settings),
                VolumeMounts =
                [
                    new V1VolumeMount { Name = "credentials", MountPath = CredentialsPath, ReadOnlyProperty = true },
                    new V1VolumeMount { Name = "tmp", MountPath = "/tmp" },
                ],
                Resources = new V1ResourceRequirements
                {
                    Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new(settings.RunnerCpuRequest), ["memory"] = new(settings.RunnerMemoryRequest) },
                    Limits = new Dictionary<string, ResourceQuantity> { ["cpu"] = new(settings.RunnerCpuLimit), ["memory"] = new(settings.RunnerMemoryLimit) },
                },
                SecurityContext = new V1SecurityContext
                {
                    RunAsNonRoot = true,
                    RunAsUser = RunnerUser,
                    ReadOnlyRootFilesystem = true,
                    AllowPrivilegeEscalation = false,
                    Capabilities = new V1Capabilities { Drop = ["ALL"] },
                    SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" },
                },
            },
        ],
    };

    private static List<V1EnvVar> Environment(OperatorSettings settings)
    {
        var database = settings.RunnerDatabaseConnectionString is { Length: > 0 } plain
            ? new V1EnvVar { Name = "CALLIMPORT_DATABASE", Value = plain }
            : new V1EnvVar
            {
                Name = "CALLIMPORT_DATABASE",
                ValueFrom = new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Name = settings.DatabaseSecretName, Key = "connectionString" } },
            };
        var env = new List<V1EnvVar> { database };
        if (!string.IsNullOrEmpty(settings.RunnerStorage))
            env.Add(new V1EnvVar { Name = "CALLIMPORT_STORAGE", Value = settings.RunnerStorage });
        env.AddRange(settings.RunnerEnvironment.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => new V1EnvVar { Name = e.Key, Value = e.Value }));
        return env;
    }
}
