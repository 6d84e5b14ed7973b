namespace CallImport.Operator.Runs;

/// <summary>The labels on runner Jobs and their pods: how the operator finds the Jobs it owns.</summary>
public static class RunnerJobLabels
{
    public const string Name = "app.kubernetes.io/name";
    public const string ManagedBy = "app.kubernetes.io/managed-by";
    public const string Instance = "app.kubernetes.io/instance";
    public const string ImportJob = "callimport.io/importjob";
    public const string Run = "callimport.io/run";

    public const string RunnerName = "callimport-runner";
    public const string Manager = "callimport-operator";

    /// <summary>Every runner Job this operator manages.</summary>
    public const string ManagedSelector = ManagedBy + "=" + Manager;

    /// <summary>
    /// The name of the ImportJob a runner Job belongs to: its controller owner reference (the label holds a
    /// shortened value for long names, see <see cref="LabelValue"/>), else the label of an older Job.
    /// </summary>
    public static string? ImportJobOf(k8s.Models.V1ObjectMeta meta) =>
        meta.OwnerReferences?.FirstOrDefault(o => o.Controller == true && o.Kind == CallImport.ImportJobs.ImportJobResource.Kind)?.Name
        ?? (meta.Labels is { } labels && labels.TryGetValue(ImportJob, out var name) ? name : null);

    public static string SelectorFor(string importJobName) => $"{ManagedSelector},{ImportJob}={LabelValue.For(importJobName)}";
}
