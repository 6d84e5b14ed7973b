using System.Globalization;
using CallImport.ImportJobs;
using CallImport.Operator.Scheduling;
using NodaTime;

namespace CallImport.Operator.Reconciliation;

/// <summary>The sentences a person reads in conditions and events: what happened and, where it helps, what to do.</summary>
internal static class ImportJobMessages
{
    public static string RetryHint(string name) =>
        $"kubectl annotate importjob {name} {ImportJobResource.RetryAnnotation}=$(date +%s) --overwrite";

    public static string SecretNotFound(string secret, string ns, string platform) =>
        $"Secret '{secret}' not found in namespace '{ns}': create it with kubectl create secret generic {secret} -n {ns} "
        + FromLiterals(ImportPlatforms.RequiredSecretKeys(platform))
        + string.Concat(ImportPlatforms.AlternativeSecretKeys(platform).Select(set => $" (or, instead, {FromLiterals(set)})"))
        + ". The import starts by itself within seconds once the Secret exists.";

    /// <summary>Names the missing keys, and any set of keys that would do instead (what a begun set still lacks).</summary>
    public static string SecretKeysMissing(string secret, string ns, string platform, IEnumerable<string> missing, IEnumerable<string> present) =>
        $"Secret '{secret}' in namespace '{ns}' lacks the key(s) {string.Join(", ", missing.Select(k => $"'{k}'"))} that platform '{platform}' needs"
        + (ImportPlatforms.AlternativeSecretKeys(platform) is { Count: > 0 } alternatives ? $" (or, instead, {ImportPlatforms.DescribeAlternatives(alternatives, present)})" : "") + ": "
        + $"add them (kubectl edit secret {secret} -n {ns}) or recreate the Secret; the import starts by itself within seconds once they are there.";

    private static string FromLiterals(IEnumerable<string> keys) => string.Join(' ', keys.Select(k => $"--from-literal={k}=…"));

    public static string CredentialsRejected(string name, string secret, string platform) =>
        $"The {platform} credentials in Secret '{secret}' were refused. Replace them in the Secret: the import tries again by itself within seconds "
        + $"(or ask for a retry: {RetryHint(name)}).";

    public static string SettingsRejected(string name, string secret, string problem) =>
        $"The runner refused the import's settings: {problem.TrimEnd('.')}. A wrong filter or date range: create a new ImportJob with it fixed "
        + $"(they cannot change once a run started). A wrong value in Secret '{secret}': fix it and the import tries again by itself "
        + $"(or ask for a retry: {RetryHint(name)}).";

    public static string CredentialsKept(string secret, IEnumerable<string> users) =>
        $"Secret '{secret}' kept although credentialsPolicy is DeleteAfterImport: unfinished ImportJob(s) {string.Join(", ", users.Select(u => $"'{u}'"))} use it; "
        + "the last of them to complete deletes it.";

    public static string UnknownPlatform(string platform) =>
        $"Platform '{platform}' is not one this operator knows ({string.Join(", ", ImportPlatforms.All)}); platform cannot change, so create a new ImportJob.";

    public static string RunnerKeptFailing(string name, int crashes, RunRecord last) =>
        $"{crashes} runs in a row ended without finishing (last: job {last.JobName}). Check kubectl logs job/{last.JobName} (status.lastRun); then ask for a retry: {RetryHint(name)}";

    public static string Running(RunRecord run, ImportProgress? p) => p is null
        ? $"Run {run.Number} (job {run.JobName}) is starting."
        : $"Run {run.Number} (job {run.JobName}) is importing: {p.Processed + p.Skipped} of {p.TotalListed}{(p.ListingComplete ? "" : "+")} calls done, {p.Failed} failed.";

    public static string OutsideWindow(ScheduleWindowTimes window, DateTimeOffset next) =>
        $"Outside the window {window.Start:HH:mm}-{window.End:HH:mm} {window.Zone.Id}; the next run starts at {Both(next, window.Zone)}.";

    public static string QuotaSpent(string platform, DateTimeOffset until, ScheduleWindowTimes window, DateTimeOffset next) =>
        $"The {platform} daily request quota is spent until {Utc(until)}; the next run starts at {Both(next, window.Zone)}.";

    public static string Completed(ImportProgress? p) => p is null
        ? "Import completed."
        : $"Imported {p.Processed} calls ({p.Skipped} already imported, skipped).";

    public static string Partial(string name, ImportProgress p) =>
        $"Imported {p.Processed} calls; {p.Failed} failed ({p.FailedRetryable} retryable), see status.recentErrors. Retry: {RetryHint(name)}";

    public static string AllFailed(string name, ImportProgress p) =>
        $"None of the {p.Failed} calls could be imported; see status.recentErrors. Retry: {RetryHint(name)}";

    public static string ActionFailed(string action, string reason) =>
        $"{action} failed: {reason.TrimEnd('.')}. The operator tries again with backoff; if this persists, check its RBAC and logs.";

    public const string Cancelled = "Cancelled by spec.cancel; the record is kept. Create a new ImportJob to import again.";

    public static string Utc(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    private static string Both(DateTimeOffset t, DateTimeZone zone) =>
        $"{Instant.FromDateTimeOffset(t).InZone(zone).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} {zone.Id} ({Utc(t)})";
}
