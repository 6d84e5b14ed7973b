namespace CallImport.ImportJobs.Runner;

/// <summary>
/// The ImportRunner's <c>import</c> command line: the command and option names, written once for the runner
/// (which parses them) and the operator (which builds a runner Job's arguments from an ImportJob).
/// </summary>
public static class RunnerFlags
{
    public const string ImportCommand = "import";

    public const string Platform = "--platform";
    public const string Customer = "--customer";
    public const string CredentialsFile = "--credentials-file";
    public const string CredentialsDir = "--credentials-dir";
    public const string From = "--from";
    public const string To = "--to";
    public const string Database = "--database";
    public const string Storage = "--storage";

    /// <summary>Repeatable, <c>key=value</c>.</summary>
    public const string Filter = "--filter";

    /// <summary>Comma-separated.</summary>
    public const string InternalDomains = "--internal-domains";
    public const string Concurrency = "--concurrency";
    public const string MaxAttempts = "--max-attempts";
    public const string RequestsPerSecond = "--requests-per-second";
    public const string RequestsPerDay = "--requests-per-day";
    public const string ImportId = "--import-id";
    public const string BatchId = "--batch-id";
    public const string RunId = "--run-id";
    public const string StopAt = "--stop-at";
    public const string Output = "--output";
    public const string Verbose = "--verbose";

    /// <summary>Environment variables the runner reads when the matching option is absent.</summary>
    public const string DatabaseVariable = "CALLIMPORT_DATABASE";
    public const string StorageVariable = "CALLIMPORT_STORAGE";

    /// <summary>Times on the command line: RFC 3339 in UTC, to the second.</summary>
    public static string Time(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
}
