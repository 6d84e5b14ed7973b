using CallImport.Operator.Scheduling;
using Microsoft.Extensions.Options;

namespace CallImport.Operator.Hosting;

/// <summary>Refuses settings the operator cannot run with, at start-up, each failure naming its environment variable.</summary>
internal sealed class OperatorSettingsValidation : IValidateOptions<OperatorSettings>
{
    public ValidateOptionsResult Validate(string? name, OperatorSettings s)
    {
        var failures = new List<string>();
        void Require(bool ok, string setting, string message)
        {
            if (!ok) failures.Add($"Operator__{setting}: {message}");
        }

        Require(!string.IsNullOrWhiteSpace(s.DatabaseConnectionString), nameof(s.DatabaseConnectionString), "required (the store the runners write to).");
        Require(!string.IsNullOrWhiteSpace(s.RunnerImage), nameof(s.RunnerImage), "required.");
        Require(!string.IsNullOrWhiteSpace(s.RunnerCommand), nameof(s.RunnerCommand), "required.");
        Require(!string.IsNullOrWhiteSpace(s.DatabaseSecretName) || !string.IsNullOrWhiteSpace(s.RunnerDatabaseConnectionString),
            nameof(s.DatabaseSecretName), "give the Secret holding the runners' connectionString (or RunnerDatabaseConnectionString in development).");
        ScheduleWindowTimes.Resolve(null, s, out var windowProblem);
        Require(windowProblem is null, nameof(s.DefaultWindowStart), windowProblem ?? "");
        Require(s.MaxConcurrentRuns >= 1, nameof(s.MaxConcurrentRuns), "at least 1.");
        Require(s.MaxConcurrentRunsPerCustomer >= 1, nameof(s.MaxConcurrentRunsPerCustomer), "at least 1.");
        Require(s.MaxConcurrentRunsPerPlatform >= 1, nameof(s.MaxConcurrentRunsPerPlatform), "at least 1.");
        Require(s.MaxCrashedRuns >= 1, nameof(s.MaxCrashedRuns), "at least 1.");
        Require(s.RunnerBackoffLimit is >= 0 and <= 10, nameof(s.RunnerBackoffLimit), "between 0 and 10.");
        Require(s.Workers is >= 1 and <= 32, nameof(s.Workers), "between 1 and 32.");
        Require(s.HttpPort is >= 0 and <= 65535, nameof(s.HttpPort), "a port number (0 picks a free one).");
        Require(s.WatchTimeout >= TimeSpan.FromSeconds(1), nameof(s.WatchTimeout), "at least 1 second.");
        Require(s.WatchSilenceLimit > s.WatchTimeout, nameof(s.WatchSilenceLimit), "longer than WatchTimeout (a quiet watch is renewed after WatchTimeout).");
        Require(s.ProgressPollInterval > TimeSpan.Zero, nameof(s.ProgressPollInterval), "positive.");
        Require(s.ErrorBackoff > TimeSpan.Zero && s.MaxErrorBackoff >= s.ErrorBackoff, nameof(s.MaxErrorBackoff), "positive, and at least ErrorBackoff.");
        Require(s.LeaseDuration > s.LeaseRenewDeadline && s.LeaseRenewDeadline > s.LeaseRetryPeriod, nameof(s.LeaseDuration),
            "LeaseDuration > LeaseRenewDeadline > LeaseRetryPeriod.");
        Require(s.LogFormat is "json" or "text", nameof(s.LogFormat), "json or text.");
        Require(Enum.TryParse<Serilog.Events.LogEventLevel>(s.LogLevel, ignoreCase: true, out _), nameof(s.LogLevel), "Verbose, Debug, Information, Warning or Error.");
        Require(s.WatchedNamespaces.All(IsDnsLabel), nameof(s.WatchNamespace), "namespace names (lower-case DNS labels), comma-separated; empty = all namespaces.");
        Require(string.IsNullOrEmpty(s.RunnerServiceAccountName) || IsDnsSubdomain(s.RunnerServiceAccountName), nameof(s.RunnerServiceAccountName),
            "a ServiceAccount name (lower-case letters, digits, '-' and '.'), or empty for each namespace's default.");
        Require(s.RecentErrors is >= 0 and <= 20, nameof(s.RecentErrors), "between 0 and 20.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool IsDnsLabel(string name) =>
        System.Text.RegularExpressions.Regex.IsMatch(name, "^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$");

    private static bool IsDnsSubdomain(string name) =>
        name.Length <= 253 && System.Text.RegularExpressions.Regex.IsMatch(name, "^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$");
}
