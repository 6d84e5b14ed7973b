using System.CommandLine;
using System.Globalization;
using CallImport.ImportJobs.Runner;

namespace CallImport.ImportRunner.Cli;

/// <summary>The <c>import</c> command line: options, their help, and their validation.</summary>
public static class ImportCommand
{
    public static Command Create(Func<ImportArguments, CancellationToken, Task<int>> run)
    {
        var platform = new Option<string>(RunnerFlags.Platform) { Description = "Platform to import from (grain, manual, …).", Required = true };
        var customer = new Option<string>(RunnerFlags.Customer) { Description = "Customer id the engagements belong to.", Required = true };
        var credentialsFile = new Option<string?>(RunnerFlags.CredentialsFile) { Description = "JSON object with the platform's Secret keys (e.g. {\"apiKey\":\"…\"}); optional \"baseUrl\"." };
        var credentialsDir = new Option<string?>(RunnerFlags.CredentialsDir) { Description = "A mounted Secret: one file per key." };
        var from = new Option<DateTimeOffset>(RunnerFlags.From) { Description = "Start of the date range (RFC 3339, inclusive).", Required = true, CustomParser = r => ParseTime(r, RunnerFlags.From) };
        var to = new Option<DateTimeOffset>(RunnerFlags.To) { Description = "End of the date range (RFC 3339, exclusive).", Required = true, CustomParser = r => ParseTime(r, RunnerFlags.To) };
        var database = new Option<string?>(RunnerFlags.Database) { Description = $"Npgsql connection string (default: ${ImportArguments.DatabaseVariable})." };
        var storage = new Option<string?>(RunnerFlags.Storage) { Description = $"Media storage: file:///path or gs://bucket/prefix (default: ${ImportArguments.StorageVariable}, else file://./media)." };
        var filter = new Option<string[]>(RunnerFlags.Filter) { Description = "Platform filter key=value; repeatable.", Arity = ArgumentArity.ZeroOrMore };
        var domains = new Option<string?>(RunnerFlags.InternalDomains) { Description = "The customer's email domains, comma-separated: participants there are internal when the platform does not say." };
        var concurrency = new Option<int>(RunnerFlags.Concurrency) { Description = "Calls processed at once.", DefaultValueFactory = _ => 4 };
        var maxAttempts = new Option<int>(RunnerFlags.MaxAttempts) { Description = "Attempts per call before it counts as failed.", DefaultValueFactory = _ => 5 };
        var rps = new Option<double?>(RunnerFlags.RequestsPerSecond) { Description = "Lower the platform's request rate." };
        var rpd = new Option<long?>(RunnerFlags.RequestsPerDay) { Description = "Lower the platform's daily request quota." };
        var importId = new Option<string?>(RunnerFlags.ImportId) { Description = "The import's id in the store (default: derived from customer, platform, range and filters)." };
        var batchId = new Option<string?>(RunnerFlags.BatchId) { Description = "engagements.import_batch_id (default: the import id)." };
        var runId = new Option<string?>(RunnerFlags.RunId) { Description = "This run's id (default: generated)." };
        var stopAt = new Option<DateTimeOffset?>(RunnerFlags.StopAt) { Description = "Take no new call after this time (the window's end, RFC 3339).", CustomParser = r => ParseTime(r, RunnerFlags.StopAt) };
        var output = new Option<string>(RunnerFlags.Output) { Description = "text, or json: the last stdout line is the summary object.", DefaultValueFactory = _ => "text" };
        output.AcceptOnlyFromAmong("text", "json");
        concurrency.Validators.Add(r => { if (r.GetValueOrDefault<int>() is < 1 or > 64) r.AddError("--concurrency must be between 1 and 64."); });
        maxAttempts.Validators.Add(r => { if (r.GetValueOrDefault<int>() is < 1 or > 20) r.AddError("--max-attempts must be between 1 and 20."); });
        var verbose = new Option<bool>(RunnerFlags.Verbose) { Description = "Log every call." };

        var command = new Command(RunnerFlags.ImportCommand, "Import a platform's calls for a customer and date range into the engagement store.")
        {
            platform, customer, credentialsFile, credentialsDir, from, to, database, storage, filter, domains, concurrency,
            maxAttempts, rps, rpd, importId, batchId, runId, stopAt, output, verbose,
        };
        command.Validators.Add(result =>
        {
            if (result.GetValue(credentialsFile) is null == result.GetValue(credentialsDir) is null)
                result.AddError("Give exactly one of --credentials-file (a JSON file) or --credentials-dir (a mounted Secret).");
            if (TryGetValue(result, from, out var start) && TryGetValue(result, to, out var end) && start >= end)
                result.AddError("--from must be before --to.");
            foreach (var f in result.GetValue(filter) ?? [])
                if (!f.Contains('=', StringComparison.Ordinal) || f.StartsWith('='))
                    result.AddError($"--filter '{f}' is not key=value.");
            if (result.GetValue(database) is null && Environment.GetEnvironmentVariable(ImportArguments.DatabaseVariable) is null)
                result.AddError($"No database: pass --database \"Host=…;Username=…;Database=…\" or set {ImportArguments.DatabaseVariable}.");
        });
        command.SetAction((result, cancellationToken) => run(new ImportArguments
        {
            Platform = result.GetValue(platform)!.ToLowerInvariant(),
            CustomerId = result.GetValue(customer)!,
            CredentialsFile = result.GetValue(credentialsFile),
            CredentialsDirectory = result.GetValue(credentialsDir),
            From = result.GetValue(from),
            To = result.GetValue(to),
            Database = result.GetValue(database) ?? Environment.GetEnvironmentVariable(ImportArguments.DatabaseVariable)!,
            Storage = result.GetValue(storage) ?? Environment.GetEnvironmentVariable(ImportArguments.StorageVariable)
                      ?? new Uri(Path.GetFullPath("media")).AbsoluteUri,
            Filters = (result.GetValue(filter) ?? []).Select(f => f.Split('=', 2)).ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal),
            InternalDomains = (result.GetValue(domains) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            Concurrency = result.GetValue(concurrency),
            MaxAttemptsPerCall = result.GetValue(maxAttempts),
            RequestsPerSecond = result.GetValue(rps),
            RequestsPerDay = result.GetValue(rpd),
            ImportId = result.GetValue(importId),
            BatchId = result.GetValue(batchId),
            RunId = result.GetValue(runId),
            StopAt = result.GetValue(stopAt),
            JsonOutput = result.GetValue(output) == "json",
            Verbose = result.GetValue(verbose),
        }, cancellationToken));
        return command;
    }

    /// <summary>
    /// The option's value, or false when it did not parse: its parser already reported why, and
    /// System.CommandLine throws when a validator reads a value that failed to parse.
    /// </summary>
    private static bool TryGetValue<T>(System.CommandLine.Parsing.CommandResult result, Option<T> option, out T? value)
    {
        try
        {
            value = result.GetValue(option);
            return true;
        }
        catch (InvalidOperationException)
        {
            value = default;
            return false;
        }
    }

    private static DateTimeOffset ParseTime(System.CommandLine.Parsing.ArgumentResult result, string name)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value))
            return value;
        result.AddError($"{name} '{text}' is not a date-time; use RFC 3339, e.g. 2026-01-01T00:00:00Z.");
        return default;
    }
}
