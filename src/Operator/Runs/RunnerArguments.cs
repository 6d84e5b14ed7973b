using System.Globalization;
using CallImport.ImportJobs;
using CallImport.Operator.Reconciliation;

namespace CallImport.Operator.Runs;

/// <summary>The ImportJob's spec and identity as the ImportRunner's <c>import</c> command line (<see cref="RunnerFlags"/>).</summary>
public static class RunnerArguments
{
    public static List<string> For(ImportJob importJob, ReconcileAction.CreateRunnerJob run)
    {
        var (spec, meta) = (importJob.Spec, importJob.Metadata);
        var from = spec.DateRange?.Start ?? RunnerJobTemplate.OpenRangeStart;
        var to = spec.DateRange?.End ?? meta.CreationTimestamp ?? DateTimeOffset.UnixEpoch;
        var args = new List<string>
        {
            RunnerFlags.ImportCommand,
            RunnerFlags.Platform, spec.Platform,
            RunnerFlags.Customer, spec.CustomerId,
            RunnerFlags.CredentialsDir, RunnerJobTemplate.CredentialsPath,
            RunnerFlags.From, RunnerFlags.Time(from),
            RunnerFlags.To, RunnerFlags.Time(to),
            RunnerFlags.ImportId, meta.Uid!,
            RunnerFlags.BatchId, meta.Uid!,
            RunnerFlags.RunId, run.JobName,
            RunnerFlags.Concurrency, spec.EffectiveConcurrency.ToString(CultureInfo.InvariantCulture),
            RunnerFlags.MaxAttempts, spec.EffectiveMaxAttemptsPerCall.ToString(CultureInfo.InvariantCulture),
        };
        if (run.StopAt is { } stopAt)
            args.AddRange([RunnerFlags.StopAt, RunnerFlags.Time(stopAt)]);
        if (spec.RateLimit?.RequestsPerSecond is { } rps)
            args.AddRange([RunnerFlags.RequestsPerSecond, rps.ToString(CultureInfo.InvariantCulture)]);
        if (spec.RateLimit?.RequestsPerDay is { } rpd)
            args.AddRange([RunnerFlags.RequestsPerDay, rpd.ToString(CultureInfo.InvariantCulture)]);
        foreach (var (key, value) in (spec.Filters ?? new Dictionary<string, string>()).OrderBy(f => f.Key, StringComparer.Ordinal))
            args.AddRange([RunnerFlags.Filter, $"{key}={value}"]);
        if (spec.InternalDomains is { Count: > 0 } domains)
            args.AddRange([RunnerFlags.InternalDomains, string.Join(',', domains)]);
        return args;
    }
}
