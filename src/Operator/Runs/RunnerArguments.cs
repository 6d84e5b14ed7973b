using System.Globalization;
using CallImport.ImportJobs;
using CallImport.Operator.Reconciliation;

namespace CallImport.Operator.Runs;

/// <summary>The ImportJob's spec and identity as the ImportRunner's <c>import</c> command line.</summary>
public static class RunnerArguments
{
    public static List<string> For(ImportJob importJob, ReconcileAction.CreateRunnerJob run)
    {
        var (spec, meta) = (importJob.Spec, importJob.Metadata);
        var from = spec.DateRange?.Start ?? RunnerJobTemplate.OpenRangeStart;
        var to = spec.DateRange?.End ?? meta.CreationTimestamp ?? DateTimeOffset.UnixEpoch;
        var args = new List<string>
        {
            "import",
            "--platform", spec.Platform,
            "--customer", spec.CustomerId,
            "--credentials-dir", RunnerJobTemplate.CredentialsPath,
            "--from", Time(from),
            "--to", Time(to),
            "--import-id", meta.Uid!,
            "--batch-id", meta.Uid!,
            "--run-id", run.JobName,
            "--concurrency", spec.EffectiveConcurrency.ToString(CultureInfo.InvariantCulture),
            "--max-attempts", spec.EffectiveMaxAttemptsPerCall.ToString(CultureInfo.InvariantCulture),
        };
        if (run.StopAt is { } stopAt)
            args.AddRange(["--stop-at", Time(stopAt)]);
        if (spec.RateLimit?.RequestsPerSecond is { } rps)
            args.AddRange(["--requests-per-second", rps.ToString(CultureInfo.InvariantCulture)]);
        if (spec.RateLimit?.RequestsPerDay is { } rpd)
            args.AddRange(["--requests-per-day", rpd.ToString(CultureInfo.InvariantCulture)]);
        foreach (var (key, value) in (spec.Filters ?? new Dictionary<string, string>()).OrderBy(f => f.Key, StringComparer.Ordinal))
            args.AddRange(["--filter", $"{key}={value}"]);
        if (spec.InternalDomains is { Count: > 0 } domains)
            args.AddRange(["--internal-domains", string.Join(',', domains)]);
        return args;
    }

    private static string Time(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
